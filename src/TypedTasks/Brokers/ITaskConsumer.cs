using System;
using System.Threading;
using System.Threading.Tasks;

namespace TypedTasks.Brokers;

/// <summary>
/// One worker's view of its queues. Every delivery it hands out must end in exactly one of
/// <see cref="AckAsync"/>, <see cref="RetryAsync"/>, <see cref="DeadLetterAsync"/> or <see cref="ReleaseAsync"/>.
/// </summary>
public interface ITaskConsumer : IAsyncDisposable
{
    /// <summary>This consumer's name among live workers, for messages and logs; <see langword="null"/> when the broker
    /// has none (the default implementation).</summary>
    string? Name => null;

    /// <summary>The consumer group this consumer reads in, reported as <c>messaging.consumer.group.name</c> on spans and
    /// metrics; <see langword="null"/> when the broker has no groups (the default implementation).</summary>
    string? ConsumerGroup => null;

    /// <summary>The tasks cancelled recently, as this consumer's process knows them: the worker skips a delivery whose
    /// task is in it and cancels a running attempt the set announces. <see langword="null"/> when the broker does not
    /// support cancellation (the default implementation).</summary>
    TaskCancellations? Cancellations => null;

    /// <summary>When this consumer last completed a read of its queues, found messages or not (a Redis consumer reads
    /// at least every <c>PollInterval</c> while idle, and stops completing reads while Redis is unreachable), on the
    /// consumer's clock; <see langword="null"/> when the broker does not report it (the default implementation, and
    /// the in-memory broker, whose consumers wait on a signal and cannot stall). The worker's liveness signal
    /// (<c>TaskWorker.LastActivityAt</c>) builds on it.</summary>
    DateTimeOffset? LastReadAt => null;

    /// <summary>
    /// Waits until at least one message is available (or <paramref name="cancellationToken"/> is cancelled) and
    /// fills <paramref name="buffer"/> with up to its length of deliveries. Returns how many were written.
    /// Entries the broker cannot decode never reach the caller: the broker dead-letters them itself.
    /// </summary>
    ValueTask<int> ReceiveAsync(Memory<TaskDelivery> buffer, CancellationToken cancellationToken);

    /// <summary>The attempt finished (successfully, or its outcome was recorded): remove the message.</summary>
    ValueTask AckAsync(TaskDelivery delivery, CancellationToken cancellationToken = default);

    /// <summary>Atomically schedules <paramref name="nextAttempt"/> (due at its <see cref="TaskMessage.DueAt"/>) and
    /// removes the current delivery, so a crash between the two can neither lose nor duplicate the message.</summary>
    ValueTask RetryAsync(TaskDelivery delivery, TaskMessage nextAttempt, CancellationToken cancellationToken = default);

    /// <summary>Atomically moves the message to the dead letters with <paramref name="error"/> and removes the delivery.</summary>
    ValueTask DeadLetterAsync(TaskDelivery delivery, TaskError error, CancellationToken cancellationToken = default);

    /// <summary>Hands a delivery that was not (or not completely) processed back, so another worker can take it at once.</summary>
    ValueTask ReleaseAsync(TaskDelivery delivery, CancellationToken cancellationToken = default);
}
