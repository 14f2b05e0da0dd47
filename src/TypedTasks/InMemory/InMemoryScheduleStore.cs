using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using TypedTasks.Brokers;

namespace TypedTasks;

/// <summary>
/// The in-memory broker's schedules. Kept under the broker state's single lock, so a tick's claim and the enqueue of
/// its message are one critical section, as they are one script on Redis.
/// </summary>
internal sealed class InMemoryScheduleStore(InMemoryState state) : IScheduleStore
{
    private readonly Dictionary<string, TaskSchedule> _schedules = new(StringComparer.Ordinal);
    private long _versions;

    public ValueTask<bool> SetAsync(TaskSchedule schedule, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        schedule.Validate();
        lock (state.Gate)
        {
            state.ThrowIfDisposedLocked(this);
            var lastTick = now;
            if (_schedules.TryGetValue(schedule.Name, out var stored))
            {
                if (SameDefinition(stored, schedule))
                {
                    return ValueTask.FromResult(false);
                }

                lastTick = stored.LastTick > now ? stored.LastTick : now;
            }

            _schedules[schedule.Name] = schedule with { Version = ++_versions, LastTick = lastTick };
            return ValueTask.FromResult(true);
        }
    }

    public ValueTask<bool> RemoveAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (state.Gate)
        {
            return ValueTask.FromResult(_schedules.Remove(name));
        }
    }

    public ValueTask<TaskSchedule?> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        lock (state.Gate)
        {
            return ValueTask.FromResult(_schedules.GetValueOrDefault(name));
        }
    }

    public ValueTask<IReadOnlyList<TaskSchedule>> ListAsync(CancellationToken cancellationToken = default)
    {
        lock (state.Gate)
        {
            return ValueTask.FromResult<IReadOnlyList<TaskSchedule>>(
                _schedules.Values.OrderBy(static s => s.Name, StringComparer.Ordinal).ToArray());
        }
    }

    public ValueTask<TickClaim> ClaimTickAsync(TaskSchedule schedule, DateTimeOffset tick, bool send, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        lock (state.Gate)
        {
            state.ThrowIfDisposedLocked(this);
            if (!_schedules.TryGetValue(schedule.Name, out var stored))
            {
                return ValueTask.FromResult(new TickClaim(TickClaimStatus.Removed, default));
            }

            if (stored.Version != schedule.Version)
            {
                return ValueTask.FromResult(new TickClaim(TickClaimStatus.Changed, stored.LastTick));
            }

            if (stored.LastTick >= tick)
            {
                return ValueTask.FromResult(new TickClaim(TickClaimStatus.AlreadyClaimed, stored.LastTick));
            }

            _schedules[stored.Name] = stored with { LastTick = tick };
            if (send)
            {
                state.EnqueueLocked(stored.MessageFor(tick, now));
            }

            return ValueTask.FromResult(new TickClaim(TickClaimStatus.Claimed, tick));
        }
    }

    /// <summary>The definition: everything but the store-assigned version and last tick.</summary>
    internal static bool SameDefinition(TaskSchedule a, TaskSchedule b) =>
        a.Cron == b.Cron
        && a.TimeZone == b.TimeZone
        && a.Actor == b.Actor
        && a.Queue == b.Queue
        && a.IsDeclared == b.IsDeclared
        && a.Arguments.Span.SequenceEqual(b.Arguments.Span)
        && SameHeaders(a.Headers, b.Headers);

    private static bool SameHeaders(IReadOnlyDictionary<string, string>? a, IReadOnlyDictionary<string, string>? b)
    {
        if ((a?.Count ?? 0) != (b?.Count ?? 0))
        {
            return false;
        }

        if (a is null || b is null)
        {
            return true;
        }

        foreach (var (key, value) in a)
        {
            if (!b.TryGetValue(key, out var other) || other != value)
            {
                return false;
            }
        }

        return true;
    }
}
