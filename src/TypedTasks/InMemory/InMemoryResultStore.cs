using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace TypedTasks;

/// <summary>
/// The <see cref="InMemoryBroker"/>'s outcomes: a view on <see cref="InMemoryState"/>, with an expiry measured on the
/// broker's clock. Waiters are completed by <see cref="SetAsync"/> itself, so nobody polls.
/// </summary>
/// <remarks>
/// The wait timeout of <see cref="WaitAsync"/> is measured on the wall clock, not the broker's clock: it bounds how
/// long a caller blocks, and a test on a <c>FakeTimeProvider</c> that never advances must still get its
/// <see langword="null"/> instead of hanging.
/// </remarks>
internal sealed class InMemoryResultStore(InMemoryState state) : ITaskResultStore
{
    public ValueTask SetAsync(string taskId, TaskOutcome outcome, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(taskId);
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeToLive, TimeSpan.Zero);

        // The caller may reuse the value's buffer.
        var stored = outcome with { Value = outcome.Value.ToArray() };
        List<TaskCompletionSource<TaskOutcome>>? waiters;
        lock (state.Gate)
        {
            waiters = state.SetOutcomeLocked(taskId, stored, timeToLive);
        }

        if (waiters is not null)
        {
            foreach (var waiter in waiters)
            {
                waiter.TrySetResult(stored);
            }
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<TaskOutcome?> GetAsync(string taskId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(taskId);
        lock (state.Gate)
        {
            return ValueTask.FromResult(state.GetOutcomeLocked(taskId));
        }
    }

    public async ValueTask<TaskOutcome?> WaitAsync(string taskId, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(taskId);
        TaskCompletionSource<TaskOutcome> waiter;
        lock (state.Gate)
        {
            if (state.GetOutcomeLocked(taskId) is { } outcome)
            {
                return outcome;
            }

            waiter = new TaskCompletionSource<TaskOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
            state.AddOutcomeWaiterLocked(taskId, waiter);
        }

        try
        {
            return await waiter.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return null;
        }
        finally
        {
            if (!waiter.Task.IsCompleted)
            {
                lock (state.Gate)
                {
                    state.RemoveOutcomeWaiterLocked(taskId, waiter);
                }
            }
        }
    }
}
