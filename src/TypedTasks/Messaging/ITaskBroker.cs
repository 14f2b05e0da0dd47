using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using TypedTasks.Brokers;
using TypedTasks.Monitoring;

namespace TypedTasks;

/// <summary>
/// Stores and delivers task messages. Implemented by <c>InMemoryBroker</c> (tests, demos) and by
/// <c>TypedTasks.Redis.RedisBroker</c> (production).
/// </summary>
/// <remarks>
/// Delivery is at-least-once: a message is removed only when its consumer acknowledges, retries or dead-letters it.
/// A message whose <see cref="TaskMessage.DueAt"/> lies in the future is held back until then ("schedule for later").
/// </remarks>
public interface ITaskBroker : IAsyncDisposable
{
    /// <summary>Enqueues one message (held back until <see cref="TaskMessage.DueAt"/> when that is in the future).</summary>
    /// <returns><see langword="null"/> when the message was stored; the id of the existing task when it was a duplicate
    /// (its <see cref="TaskMessage.Id"/> was chosen by the sender and is already recorded on the queue, or its
    /// <see cref="TaskMessage.UniqueKey"/> is held), in which case nothing was stored. The duplicate check and the
    /// enqueue are one atomic step.</returns>
    ValueTask<string?> SendAsync(TaskMessage message, CancellationToken cancellationToken = default);

    /// <summary>Enqueues a batch in as few round trips as the broker allows; each message is checked for duplicates as
    /// by <see cref="SendAsync"/>.</summary>
    /// <returns><see langword="null"/> when every message was stored; otherwise one entry per message, in order:
    /// <see langword="null"/> for a stored one, the existing task's id for a duplicate.</returns>
    ValueTask<IReadOnlyList<string?>?> SendManyAsync(IReadOnlyList<TaskMessage> messages, CancellationToken cancellationToken = default);

    /// <summary>
    /// Cancels task <paramref name="taskId"/>, wherever it is: a queued or scheduled task (or a pending retry) never
    /// starts, a running one's <see cref="CancellationToken"/> fires on the worker that runs it. A task without a
    /// stored outcome gets the <see cref="DeadLetterReason.Cancelled"/> outcome at once, so waiters see it.
    /// </summary>
    /// <exception cref="NotSupportedException">The broker does not support cancellation (the default implementation).</exception>
    ValueTask<CancelResult> CancelAsync(string taskId, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException($"{GetType().Name} does not support cancellation.");

    /// <summary>Opens a consumer that receives the messages of <see cref="ConsumerOptions.Queues"/>.</summary>
    ValueTask<ITaskConsumer> CreateConsumerAsync(ConsumerOptions options, CancellationToken cancellationToken = default);

    /// <summary>Where task outcomes are stored.</summary>
    ITaskResultStore Results { get; }

    /// <summary>Messages that failed for good, with the reason.</summary>
    IDeadLetterStore DeadLetters { get; }

    /// <summary>Task status and progress by id.</summary>
    ITaskStatusStore Status { get; }

    /// <summary>Where named periodic schedules are kept and their ticks claimed (<see cref="TaskSchedules"/>,
    /// <see cref="PeriodicScheduler"/>); <see langword="null"/> for a broker that cannot keep schedules.</summary>
    IScheduleStore? Schedules => null;

    /// <summary>What operators see of this broker: queues, workers, dead letters (docs/operations.md, "Monitoring
    /// API"); <see langword="null"/> when the broker offers none (the default implementation). The in-memory and the
    /// Redis broker always have one.</summary>
    ITaskMonitor? Monitor => null;

    /// <summary>Where workflows are kept (docs/workflows.md); <see langword="null"/> for a broker that cannot run
    /// workflows (the default implementation). The in-memory and the Redis broker always have one.</summary>
    IWorkflowStore? Workflows => null;
}
