using System;
using System.Collections.Generic;

namespace TypedTasks;

/// <summary>
/// A named schedule: a cron expression in a time zone and the message each tick sends, plus its stored state. What
/// <see cref="TaskSchedules.ListAsync"/> returns and what a broker's schedule store keeps.
/// </summary>
/// <remarks>Record equality compares <see cref="Arguments"/> by reference.</remarks>
public sealed record TaskSchedule
{
    /// <summary>The longest schedule name: a tick's task id is <c>sched:{name}:{tick in Unix ms}</c> and must stay
    /// within <see cref="WireNames.MaxLength"/>.</summary>
    public const int MaxNameLength = 100;

    /// <summary>Unique among the schedules of a broker; 1–100 characters of <c>[A-Za-z0-9_.:-]</c>.</summary>
    public required string Name { get; init; }

    /// <summary>The cron expression (Cronos: five fields, or six with seconds first).</summary>
    public required string Cron { get; init; }

    /// <summary>The time zone id the expression is read in; <see langword="null"/> = UTC.</summary>
    public string? TimeZone { get; init; }

    /// <summary>The actor's wire name.</summary>
    public required string Actor { get; init; }

    /// <summary>The queue each tick's message goes to.</summary>
    public required string Queue { get; init; }

    /// <summary>The arguments each tick sends: a UTF-8 JSON object keyed by parameter name.</summary>
    public required ReadOnlyMemory<byte> Arguments { get; init; }

    /// <summary>Headers each tick's message carries.</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    /// <summary>Whether the schedule comes from a <see cref="ScheduleAttribute"/> (written by every scheduler at start,
    /// removed by a scheduler whose registry has the actor but no longer declares it).</summary>
    public bool IsDeclared { get; init; }

    /// <summary>Changes whenever the definition changes (store-assigned; 0 before it is stored).</summary>
    public long Version { get; init; }

    /// <summary>Ticks at or before this moment are done (sent, or dropped as missed): the last tick claimed, or the
    /// moment the schedule was created or last changed. Store-assigned.</summary>
    public DateTimeOffset LastTick { get; init; }

    /// <summary>The task id of the message sent for <paramref name="tick"/>: <c>sched:{name}:{Unix ms}</c>, the same
    /// in every process, so a duplicate attempt would be recognisable.</summary>
    public string TaskIdFor(DateTimeOffset tick) => TaskIdFor(Name, tick);

    /// <inheritdoc cref="TaskIdFor(DateTimeOffset)"/>
    public static string TaskIdFor(string name, DateTimeOffset tick) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"sched:{name}:{tick.ToUnixTimeMilliseconds()}");

    /// <summary>The schedule's next tick after <paramref name="moment"/> (null when the expression has no more).</summary>
    /// <exception cref="ArgumentException">The cron expression or the time zone is not valid here.</exception>
    public DateTimeOffset? NextTickAfter(DateTimeOffset moment) => CronTimetable.Parse(Cron, TimeZone, nameof(Cron)).NextAfter(moment);

    /// <summary>The message sent for <paramref name="tick"/>, stamped with <paramref name="now"/>.</summary>
    public TaskMessage MessageFor(DateTimeOffset tick, DateTimeOffset now) => new()
    {
        Id = TaskIdFor(tick),
        Actor = Actor,
        Queue = Queue,
        Arguments = Arguments,
        EnqueuedAt = now,
        Headers = Headers,
    };

    /// <summary>Throws an <see cref="ArgumentException"/> naming the bad value when the name, the cron expression, the
    /// time zone, the actor, the queue or the arguments are not valid.</summary>
    public void Validate()
    {
        ThrowIfInvalidName(Name, nameof(Name));
        CronTimetable.Parse(Cron, TimeZone, nameof(Cron));
        WireNames.ThrowIfInvalid(Actor, "actor name", nameof(Actor));
        WireNames.ThrowIfInvalid(Queue, "queue name", nameof(Queue));
        if (Arguments.IsEmpty)
        {
            throw new ArgumentException($"Schedule '{Name}' has no arguments; an actor without parameters takes the empty object {{}}.", nameof(Arguments));
        }
    }

    internal static void ThrowIfInvalidName(string? name, string paramName)
    {
        WireNames.ThrowIfInvalid(name, "schedule name", paramName);
        if (name!.Length > MaxNameLength)
        {
            throw new ArgumentException($"Schedule name '{name}' has {name.Length} characters; at most {MaxNameLength} are allowed.", paramName);
        }
    }
}
