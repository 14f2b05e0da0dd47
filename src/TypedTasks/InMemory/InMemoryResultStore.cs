using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace TypedTasks;

/// <summary>
/// Outcomes kept in memory with an expiry measured on the broker's clock. Waiters are completed by
/// <see cref="SetAsync"/> itself, so nobody polls.
/// </summary>
/// <remarks>
/// The wait timeout of <see cref="WaitAsync"/> is measured on the wall clock, not the broker's clock: it bounds how
/// long a caller blocks, and a test on a <c>FakeTimeProvider</c> that never advances must still get its
/// <see cref="TimeoutException"/> instead of hanging.
/// </remarks>
internal sealed class InMemoryResultStore(TimeProvider timeProvider) : ITaskResultStore
{
    private readonly object _gate = new();
    private readonly Dictionary<string, (TaskOutcome Outcome, DateTimeOffset ExpiresAt)> _outcomes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<TaskCompletionSource<TaskOutcome>>> _waiters = new(StringComparer.Ordinal);

    public ValueTask SetAsync(string taskId, TaskOutcome outcome, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(taskId);
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeToLive, TimeSpan.Zero);

        // The caller may reuse the value's buffer.
        var stored = outcome with { Value = outcome.Value.ToArray() };
        List<TaskCompletionSource<TaskOutcome>>? waiters;
        lock (_gate)
        {
            _outcomes[taskId] = (stored, timeProvider.GetUtcNow() + timeToLive);
            _waiters.Remove(taskId, out waiters);
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
        lock (_gate)
        {
            return ValueTask.FromResult(GetLocked(taskId));
        }
    }

    public async ValueTask<TaskOutcome?> WaitAsync(string taskId, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(taskId);
        TaskCompletionSource<TaskOutcome> waiter;
        lock (_gate)
        {
            if (GetLocked(taskId) is { } outcome)
            {
                return outcome;
            }

            waiter = new TaskCompletionSource<TaskOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (!_waiters.TryGetValue(taskId, out var waiters))
            {
                waiters = [];
                _waiters.Add(taskId, waiters);
            }

            waiters.Add(waiter);
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
                RemoveWaiter(taskId, waiter);
            }
        }
    }

    private TaskOutcome? GetLocked(string taskId)
    {
        if (!_outcomes.TryGetValue(taskId, out var entry))
        {
            return null;
        }

        if (timeProvider.GetUtcNow() >= entry.ExpiresAt)
        {
            _outcomes.Remove(taskId);
            return null;
        }

        return entry.Outcome;
    }

    private void RemoveWaiter(string taskId, TaskCompletionSource<TaskOutcome> waiter)
    {
        lock (_gate)
        {
            if (_waiters.TryGetValue(taskId, out var waiters) && waiters.Remove(waiter) && waiters.Count == 0)
            {
                _waiters.Remove(taskId);
            }
        }
    }
}
