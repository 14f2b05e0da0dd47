using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace TypedTasks.Monitoring;

/// <summary>
/// What an operator (a dashboard, a CLI, a health check) sees of a broker: its queues and their counts, the live
/// workers, the dead letters, and a way to empty a queue. Obtained from <see cref="ITaskBroker.Monitor"/>.
/// </summary>
/// <remarks>
/// Every number is a snapshot: one queue's numbers are read together (on Redis in one script, so they agree with each
/// other), but a list of queues is read queue by queue and is not one atomic picture. Nothing here is on a worker's
/// or a sender's path; the costs are listed in docs/operations.md ("Monitoring API").
/// </remarks>
public interface ITaskMonitor
{
    /// <summary>The queues the broker knows (ever sent to or consumed from), in ordinal order.</summary>
    ValueTask<IReadOnlyList<string>> GetQueueNamesAsync(CancellationToken cancellationToken = default);

    /// <summary>The counts of one queue, or <see langword="null"/> when the broker does not know it.</summary>
    ValueTask<QueueInfo?> GetQueueAsync(string queue, CancellationToken cancellationToken = default);

    /// <summary>The counts of every known queue, in ordinal order of name.</summary>
    ValueTask<IReadOnlyList<QueueInfo>> GetQueuesAsync(CancellationToken cancellationToken = default);

    /// <summary>The workers (consumers) alive right now, by name.</summary>
    ValueTask<IReadOnlyList<WorkerInfo>> GetWorkersAsync(CancellationToken cancellationToken = default);

    /// <summary>The broker's dead letters: the same store as <see cref="ITaskBroker.DeadLetters"/>.</summary>
    IDeadLetterStore DeadLetters { get; }

    /// <summary>
    /// Removes every message of <paramref name="queue"/> that waits to run or is scheduled for later. Deliveries in
    /// flight (handed to a worker) are left alone and finish normally: acknowledged, retried (into the scheduled set)
    /// or dead-lettered. Dead letters are not touched (<see cref="IDeadLetterStore.PurgeAsync(string, CancellationToken)"/>).
    /// </summary>
    ValueTask<QueuePurgeResult> PurgeQueueAsync(string queue, CancellationToken cancellationToken = default);

    /// <summary>Checks that the broker answers (Redis: a PING to every master); returns the slowest round trip.
    /// Throws when it does not answer.</summary>
    ValueTask<TimeSpan> PingAsync(CancellationToken cancellationToken = default);
}
