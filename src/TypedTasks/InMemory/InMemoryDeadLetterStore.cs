using System;
using System.Collections.Generic;
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

    public ValueTask<bool> RequeueAsync(string queue, string deadLetterId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(deadLetterId);
        lock (state.Gate)
        {
            return ValueTask.FromResult(state.RequeueDeadLetterLocked(queue, deadLetterId));
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
}
