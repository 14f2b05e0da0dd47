using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace TypedTasks.Brokers;

/// <summary>
/// Where a broker keeps named schedules and claims their ticks (<see cref="ITaskBroker.Schedules"/>). Every
/// scheduler instance sharing the broker sees the same schedules; <see cref="ClaimTickAsync"/> is what makes a tick
/// fire once however many schedulers try.
/// </summary>
public interface IScheduleStore
{
    /// <summary>
    /// Creates or updates <paramref name="schedule"/> (its <see cref="TaskSchedule.Version"/> and
    /// <see cref="TaskSchedule.LastTick"/> are ignored). A definition equal to the stored one changes nothing; a new or
    /// changed one starts with <see cref="TaskSchedule.LastTick"/> = the later of <paramref name="now"/> and the stored
    /// value, so it fires from the next tick after the change and never repeats one. Returns whether anything changed.
    /// </summary>
    ValueTask<bool> SetAsync(TaskSchedule schedule, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Removes the named schedule; returns whether it existed.</summary>
    ValueTask<bool> RemoveAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>The named schedule with its state, or <see langword="null"/>.</summary>
    ValueTask<TaskSchedule?> GetAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Every schedule with its state, ordered by name.</summary>
    ValueTask<IReadOnlyList<TaskSchedule>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// In one atomic step: if the schedule still has <paramref name="schedule"/>'s <see cref="TaskSchedule.Version"/>
    /// and its <see cref="TaskSchedule.LastTick"/> is before <paramref name="tick"/>, moves
    /// <see cref="TaskSchedule.LastTick"/> to <paramref name="tick"/> and, when <paramref name="send"/>, enqueues
    /// <see cref="TaskSchedule.MessageFor"/>(<paramref name="tick"/>, <paramref name="now"/>).
    /// </summary>
    ValueTask<TickClaim> ClaimTickAsync(TaskSchedule schedule, DateTimeOffset tick, bool send, DateTimeOffset now, CancellationToken cancellationToken = default);
}

/// <summary>How a tick claim ended.</summary>
public enum TickClaimStatus
{
    /// <summary>This caller claimed the tick (and sent its message, if asked).</summary>
    Claimed = 0,

    /// <summary>The tick, or a later one, was already claimed; <see cref="TickClaim.LastTick"/> says up to where.</summary>
    AlreadyClaimed = 1,

    /// <summary>The schedule's definition changed since the caller read it: read it again.</summary>
    Changed = 2,

    /// <summary>The schedule no longer exists.</summary>
    Removed = 3,
}

/// <summary>The result of <see cref="IScheduleStore.ClaimTickAsync"/>.</summary>
/// <param name="Status">How the claim ended.</param>
/// <param name="LastTick">The schedule's <see cref="TaskSchedule.LastTick"/> after the call (for
/// <see cref="TickClaimStatus.Claimed"/> and <see cref="TickClaimStatus.AlreadyClaimed"/>).</param>
public readonly record struct TickClaim(TickClaimStatus Status, DateTimeOffset LastTick);
