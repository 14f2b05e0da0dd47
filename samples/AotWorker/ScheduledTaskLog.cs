using System;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using TypedTasks;

namespace AotWorker;

/// <summary>Logs each task a schedule sent (task id <c>sched:{name}:{tick in Unix ms}</c>) once it ran, so the
/// NativeAOT end-to-end check can see that every tick ran exactly once across two worker processes.</summary>
internal sealed class ScheduledTaskLog(ILogger<ScheduledTaskLog> logger) : IProcessMiddleware
{
    public async ValueTask ProcessAsync(TaskContext context, ProcessDelegate next)
    {
        await next(context).ConfigureAwait(false);
        if (context.Message.Id.StartsWith("sched:", StringComparison.Ordinal))
        {
            WorkerLog.ScheduledTaskRan(logger, context.Message.Id, context.Actor.Name);
        }
    }
}
