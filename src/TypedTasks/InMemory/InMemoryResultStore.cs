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

    // Expiry order of stored outcomes, so each write also evicts what has expired: a long-running demo or test host
    // does not accumulate outcomes nobody reads. An entry overwritten later is recognised by its expiry time.
    private readonly PriorityQueue<string, DateTimeOffset> _expiryOrder = new();

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
            var now = timeProvider.GetUtcNow();
            EvictExpiredLocked(now);
            var expiresAt = now + timeToLive;
            _outcomes[taskId] = (stored, expiresAt);
            _expiryOrder.Enqueue(taskId, expiresAt);
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

    /// <summary>Forgets the outcome of <paramref name="taskId"/> (a requeued dead letter runs again).</summary>
    internal void Remove(string taskId)
    {
        lock (_gate)
        {
            _outcomes.Remove(taskId);
        }
    }

    /// <summary>How many outcomes are held (expired ones included until the next write evicts them).</summary>
    internal int Count
    {
        get
        {
            lock (_gate)
            {
                return _outcomes.Count;
            }
        }
    }

    private void EvictExpiredLocked(DateTimeOffset now)
    {
        while (_expiryOrder.TryPeek(out var taskId, out var expiresAt) && expiresAt <= now)
        {
            _expiryOrder.Dequeue();
            if (_outcomes.TryGetValue(taskId, out var entry) && entry.ExpiresAt == expiresAt)
            {
                _outcomes.Remove(taskId);
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
