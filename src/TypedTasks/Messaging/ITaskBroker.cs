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
    ValueTask SendAsync(TaskMessage message, CancellationToken cancellationToken = default);

    /// <summary>Enqueues a batch in as few round trips as the broker allows.</summary>
    ValueTask SendManyAsync(IReadOnlyList<TaskMessage> messages, CancellationToken cancellationToken = default);

    /// <summary>Opens a consumer that receives the messages of <see cref="ConsumerOptions.Queues"/>.</summary>
    ValueTask<ITaskConsumer> CreateConsumerAsync(ConsumerOptions options, CancellationToken cancellationToken = default);

    /// <summary>Where task outcomes are stored.</summary>
    ITaskResultStore Results { get; }

    /// <summary>Messages that failed for good, with the reason.</summary>
    IDeadLetterStore DeadLetters { get; }

    /// <summary>Task status and progress by id.</summary>
    ITaskStatusStore Status { get; }

    /// <summary>What operators see of this broker: queues, workers, dead letters (docs/operations.md, "Monitoring
    /// API"); <see langword="null"/> when the broker offers none (the default implementation). The in-memory and the
    /// Redis broker always have one.</summary>
    ITaskMonitor? Monitor => null;
}
