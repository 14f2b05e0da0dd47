using System;
using System.Collections.Generic;
using System.Threading;

namespace TypedTasks.Brokers;

/// <summary>
/// The ids of recently cancelled tasks as one process knows them, kept by a broker for its consumers: the worker checks
/// a delivery against it before starting it (free while the set is empty) and cancels a running attempt when
/// <see cref="Cancelled"/> names it. Each id is forgotten after its expiry.
/// </summary>
/// <remarks>Thread-safe. The broker fills it (from its own cancel calls, a notification channel, a re-read after a
/// reconnect); handlers of <see cref="Cancelled"/> run on the thread that added the id and must be quick.</remarks>
public sealed class TaskCancellations
{
    private readonly Dictionary<string, long> _expiries = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private int _count;
    private long _nextPruneMs;

    /// <summary>How long a cancellation is remembered by default: seven days. A task still queued or scheduled when its
    /// cancellation is forgotten would run; the Redis broker's <c>CancellationRetention</c> changes it.</summary>
    public static readonly TimeSpan DefaultRetention = TimeSpan.FromDays(7);

    /// <summary>Creates an empty set on <paramref name="timeProvider"/>'s clock.</summary>
    public TaskCancellations(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _time = timeProvider;
    }

    /// <summary>Raised once per newly added id (an id added again before it expired raises nothing).</summary>
    public event Action<string>? Cancelled;

    /// <summary>How many ids are held (expired ones included until the next prune).</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Whether <paramref name="taskId"/> was cancelled and has not expired yet.</summary>
    public bool Contains(string taskId)
    {
        if (Volatile.Read(ref _count) == 0)
        {
            return false;
        }

        lock (_gate)
        {
            return _expiries.TryGetValue(taskId, out var expiresMs) && expiresMs > _time.GetUtcNow().ToUnixTimeMilliseconds();
        }
    }

    /// <summary>Records that <paramref name="taskId"/> was cancelled, until <paramref name="expiresAt"/>; raises
    /// <see cref="Cancelled"/> when the id is new.</summary>
    public void Add(string taskId, DateTimeOffset expiresAt)
    {
        ArgumentException.ThrowIfNullOrEmpty(taskId);
        var expiresMs = expiresAt.ToUnixTimeMilliseconds();
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        if (expiresMs <= now)
        {
            return;
        }

        bool added;
        lock (_gate)
        {
            PruneLocked(now);
            added = !_expiries.TryGetValue(taskId, out var known) || known <= now;
            if (!added && known >= expiresMs)
            {
                return;
            }

            _expiries[taskId] = expiresMs;
            Volatile.Write(ref _count, _expiries.Count);
        }

        if (added)
        {
            Cancelled?.Invoke(taskId);
        }
    }

    private void PruneLocked(long now)
    {
        if (now < _nextPruneMs || _expiries.Count == 0)
        {
            return;
        }

        _nextPruneMs = now + 60_000;
        List<string>? expired = null;
        foreach (var (id, expiresMs) in _expiries)
        {
            if (expiresMs <= now)
            {
                (expired ??= []).Add(id);
            }
        }

        if (expired is not null)
        {
            foreach (var id in expired)
            {
                _expiries.Remove(id);
            }
        }
    }
}
