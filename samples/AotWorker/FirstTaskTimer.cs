using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using TypedTasks;

namespace AotWorker;

/// <summary>
/// Logs, once, how long after the process started its first task finished: the start-up figure the NativeAOT
/// end-to-end check reports. Measured from the OS's process start time, so runtime and host start-up count too.
/// </summary>
internal sealed class FirstTaskTimer(ILogger<FirstTaskTimer> logger) : IProcessMiddleware
{
    private int _seenFirst;

    public async ValueTask ProcessAsync(TaskContext context, ProcessDelegate next)
    {
        await next(context).ConfigureAwait(false);
        if (Interlocked.Exchange(ref _seenFirst, 1) == 0)
        {
            using var self = Process.GetCurrentProcess();
            var elapsed = DateTime.Now - self.StartTime;
            WorkerLog.FirstTaskFinished(logger, context.Actor.Name, (long)elapsed.TotalMilliseconds);
        }
    }
}
