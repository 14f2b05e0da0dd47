using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace TypedTasks;

/// <summary>Lists, requeues and purges dead letters, per queue.</summary>
public interface IDeadLetterStore
{
    /// <summary>The oldest <paramref name="count"/> dead letters of <paramref name="queue"/>.</summary>
    ValueTask<IReadOnlyList<DeadLetter>> ListAsync(string queue, int count = 100, CancellationToken cancellationToken = default);

    /// <summary>Sends the dead letter back to its queue as a fresh first attempt and removes it. False if not found
    /// or if it holds no decodable message.</summary>
    ValueTask<bool> RequeueAsync(string queue, string deadLetterId, CancellationToken cancellationToken = default);

    /// <summary>Removes every dead letter of <paramref name="queue"/>; returns how many.</summary>
    ValueTask<long> PurgeAsync(string queue, CancellationToken cancellationToken = default);
}
