using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;

namespace TypedTasks.Redis.Tests.EndToEnd;

/// <summary>Every attempt every worker of a test ran, recorded by a process middleware: which task, which attempt,
/// which worker, when, and how it ended.</summary>
public sealed class AttemptLog
{
    private readonly ConcurrentQueue<Attempt> _attempts = new();

    public IReadOnlyList<Attempt> Attempts => [.. _attempts];

    /// <summary>The middleware one worker adds; <paramref name="worker"/> names it in the log.</summary>
    public IProcessMiddleware For(string worker) => new Recorder(this, worker);

    public IReadOnlyList<Attempt> Of(string taskId) => [.. _attempts.Where(a => a.TaskId == taskId).OrderBy(a => a.StartedAt)];

    /// <summary>How many attempts started per task id.</summary>
    public IReadOnlyDictionary<string, int> StartsPerTask() =>
        _attempts.GroupBy(a => a.TaskId).ToDictionary(g => g.Key, g => g.Count());

    public sealed record Attempt(string TaskId, int Number, int DeliveryCount, string Worker, DateTimeOffset StartedAt, DateTimeOffset EndedAt, Exception? Failure)
    {
        public IReadOnlyDictionary<string, string>? Headers { get; init; }
    }

    private sealed class Recorder(AttemptLog log, string worker) : IProcessMiddleware
    {
        public async ValueTask ProcessAsync(TaskContext context, ProcessDelegate next)
        {
            var started = DateTimeOffset.UtcNow;
            try
            {
                await next(context);
            }
            catch (Exception exception)
            {
                log._attempts.Enqueue(new Attempt(context.Message.Id, context.Message.Attempt, context.Delivery.DeliveryCount, worker, started, DateTimeOffset.UtcNow, exception) { Headers = context.Message.Headers });
                throw;
            }

            log._attempts.Enqueue(new Attempt(context.Message.Id, context.Message.Attempt, context.Delivery.DeliveryCount, worker, started, DateTimeOffset.UtcNow, null) { Headers = context.Message.Headers });
        }
    }
}
