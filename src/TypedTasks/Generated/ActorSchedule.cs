using System;
using System.ComponentModel;

namespace TypedTasks.Generated;

/// <summary>One <see cref="ScheduleAttribute"/> of an actor, as the generator read (and checked) it at compile time.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ActorSchedule
{
    /// <summary>Creates the schedule the generator read.</summary>
    public ActorSchedule(string name, string cron, string? timeZone)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(cron);
        Name = name;
        Cron = cron;
        TimeZone = timeZone;
    }

    /// <summary>The schedule's name (<see cref="ScheduleAttribute.Name"/>, or the actor's wire name).</summary>
    public string Name { get; }

    /// <summary>The cron expression.</summary>
    public string Cron { get; }

    /// <summary>The time zone id; <see langword="null"/> = UTC.</summary>
    public string? TimeZone { get; }
}
