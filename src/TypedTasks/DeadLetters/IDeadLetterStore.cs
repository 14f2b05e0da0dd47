using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace TypedTasks;

/// <summary>
/// Lists, shows, requeues and purges dead letters, per queue: the one owner of dead-letter operations (the monitoring
/// API's <see cref="Monitoring.ITaskMonitor.DeadLetters"/> is this same store).
/// </summary>
/// <remarks>
/// Dead-letter ids are ordered by the time a message was dead-lettered, so a listing is oldest first and a cursor
/// (<see cref="DeadLetterQuery.After"/>) stays valid while letters are added, requeued or purged around it. The
/// operations on many letters (<see cref="RequeueMatchingAsync(string, DeadLetterFilter, CancellationToken)"/>,
/// <see cref="PurgeMatchingAsync(string, DeadLetterFilter, CancellationToken)"/>) act letter by letter, each step atomic;
/// a letter dead-lettered while they run may or may not be included.
/// </remarks>
public interface IDeadLetterStore
{
    /// <summary>The oldest <paramref name="count"/> dead letters of <paramref name="queue"/>.</summary>
    ValueTask<IReadOnlyList<DeadLetter>> ListAsync(string queue, int count = 100, CancellationToken cancellationToken = default);

    /// <summary>One page of the dead letters of <paramref name="queue"/> that <see cref="DeadLetterQuery.Filter"/>
    /// matches, oldest first, after <see cref="DeadLetterQuery.After"/>.</summary>
    ValueTask<DeadLetterPage> ListPageAsync(string queue, DeadLetterQuery query, CancellationToken cancellationToken = default);

    /// <summary>One dead letter by id, or <see langword="null"/> when there is none (or the id is malformed).</summary>
    ValueTask<DeadLetter?> GetAsync(string queue, string deadLetterId, CancellationToken cancellationToken = default);

    /// <summary>Sends the dead letter back to its queue as a fresh first attempt and removes it. False if not found
    /// or if it holds no decodable message.</summary>
    ValueTask<bool> RequeueAsync(string queue, string deadLetterId, CancellationToken cancellationToken = default);

    /// <summary>Requeues (as <see cref="RequeueAsync(string, string, CancellationToken)"/>) every dead letter of
    /// <paramref name="queue"/> that <paramref name="filter"/> matches; returns how many. Letters without a
    /// decodable message stay.</summary>
    ValueTask<long> RequeueMatchingAsync(string queue, DeadLetterFilter filter, CancellationToken cancellationToken = default);

    /// <summary>Removes one dead letter for good; false if not found.</summary>
    ValueTask<bool> DeleteAsync(string queue, string deadLetterId, CancellationToken cancellationToken = default);

    /// <summary>Removes every dead letter of <paramref name="queue"/>; returns how many.</summary>
    ValueTask<long> PurgeAsync(string queue, CancellationToken cancellationToken = default);

    /// <summary>Removes every dead letter of <paramref name="queue"/> that <paramref name="filter"/> matches; returns how many.</summary>
    ValueTask<long> PurgeMatchingAsync(string queue, DeadLetterFilter filter, CancellationToken cancellationToken = default);
}
