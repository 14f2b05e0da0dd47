using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;

namespace TypedTasks;

/// <summary>The <see cref="InMemoryBroker"/>'s dead letters: a view on <see cref="InMemoryState"/>, so moving a
/// delivery here is atomic with settling it, and requeueing is atomic with forgetting the stale outcome.</summary>
internal sealed class InMemoryDeadLetterStore(InMemoryState state) : IDeadLetterStore
{
    public ValueTask<IReadOnlyList<DeadLetter>> ListAsync(string queue, int count = 100, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (state.Gate)
        {
            return ValueTask.FromResult<IReadOnlyList<DeadLetter>>(state.DeadLettersLocked(queue, count));
        }
    }

    public ValueTask<DeadLetterPage> ListPageAsync(string queue, DeadLetterQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Count, nameof(query));
        var after = 0L;
        if (query.After is { } cursor && !long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out after))
        {
            throw new ArgumentException($"'{cursor}' is not a dead-letter id of this broker.", nameof(query));
        }

        lock (state.Gate)
        {
            return ValueTask.FromResult(state.DeadLetterPageLocked(queue, after, query.Count, query.Filter));
        }
    }

    public ValueTask<DeadLetter?> GetAsync(string queue, string deadLetterId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(deadLetterId);
        lock (state.Gate)
        {
            return ValueTask.FromResult(state.FindDeadLetterLocked(queue, deadLetterId));
        }
    }

    public ValueTask<bool> RequeueAsync(string queue, string deadLetterId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(deadLetterId);
        lock (state.Gate)
        {
            return ValueTask.FromResult(state.RequeueDeadLetterLocked(queue, deadLetterId));
        }
    }

    public ValueTask<long> RequeueMatchingAsync(string queue, DeadLetterFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(filter);
        lock (state.Gate)
        {
            return ValueTask.FromResult(state.RequeueDeadLettersLocked(queue, filter));
        }
    }

    public ValueTask<bool> DeleteAsync(string queue, string deadLetterId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(deadLetterId);
        lock (state.Gate)
        {
            return ValueTask.FromResult(state.DeleteDeadLetterLocked(queue, deadLetterId));
        }
    }

    public ValueTask<long> PurgeAsync(string queue, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queue);
        lock (state.Gate)
        {
            return ValueTask.FromResult(state.PurgeDeadLettersLocked(queue));
        }
    }

    public ValueTask<long> PurgeMatchingAsync(string queue, DeadLetterFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(filter);
        lock (state.Gate)
        {
            return ValueTask.FromResult(state.PurgeDeadLettersLocked(queue, filter));
        }
    }
}
