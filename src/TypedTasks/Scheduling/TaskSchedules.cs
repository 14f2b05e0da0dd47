using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using TypedTasks.Brokers;

namespace TypedTasks;

/// <summary>
/// Adds, changes, removes and lists named periodic schedules at run time. Each schedule sends a message built by a
/// generated stub (<c>Tasks.X.Y.Message(args)</c>) on every tick of a cron expression; any
/// <see cref="PeriodicScheduler"/> sharing the broker (every hosted worker, by default) sends it, once per tick.
/// </summary>
/// <example>
/// <code>
/// await schedules.SetAsync("nightly-report", "0 3 * * *", Tasks.Reports.Build.Message(42), "Europe/Berlin");
/// </code>
/// </example>
public sealed class TaskSchedules
{
    private readonly IScheduleStore _store;
    private readonly TimeProvider _timeProvider;

    /// <summary>Schedules kept by <paramref name="broker"/>, on the system clock.</summary>
    public TaskSchedules(ITaskBroker broker)
        : this(broker, TimeProvider.System)
    {
    }

    /// <summary>Schedules kept by <paramref name="broker"/>; <paramref name="timeProvider"/> stamps changes.</summary>
    /// <exception cref="ArgumentException">The broker keeps no schedules (<see cref="ITaskBroker.Schedules"/> is null).</exception>
    public TaskSchedules(ITaskBroker broker, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(broker);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _store = broker.Schedules ?? throw new ArgumentException($"The broker {broker} keeps no schedules (ITaskBroker.Schedules is null).", nameof(broker));
        _timeProvider = timeProvider;
    }

    /// <summary>
    /// Creates or replaces the schedule <paramref name="name"/>: on every tick of <paramref name="cron"/> in
    /// <paramref name="timeZone"/>, send <paramref name="message"/> (its actor, queue, arguments and headers). A new or
    /// changed schedule fires from the first tick after this call; setting the same definition again changes nothing
    /// (and keeps its missed-tick catch-up). Returns whether anything changed.
    /// </summary>
    /// <param name="name">Unique among the broker's schedules: 1–100 characters of <c>[A-Za-z0-9_.:-]</c>.</param>
    /// <param name="cron">Cronos format: five fields, or six with seconds first; or a macro (<c>@daily</c>).</param>
    /// <param name="message">The message each tick sends, from a stub: <c>Tasks.Reports.Build.Message(42)</c>. Its
    /// task id is chosen per tick (<c>sched:{name}:{tick in Unix ms}</c>), so it must set none, nor a delay.</param>
    /// <param name="timeZone">An IANA time zone id (<c>Europe/Berlin</c>); <see langword="null"/> = UTC.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ArgumentException">The name, the cron expression or the time zone is not valid (the message
    /// names it), or <paramref name="message"/> sets a task id, a delay or a not-before time.</exception>
    public ValueTask<bool> SetAsync(string name, string cron, TaskRequest message, string? timeZone = null, CancellationToken cancellationToken = default)
    {
        TaskSchedule.ThrowIfInvalidName(name, nameof(name));
        ArgumentNullException.ThrowIfNull(cron);
        ArgumentNullException.ThrowIfNull(message);
        CronTimetable.Parse(cron, timeZone, nameof(cron));
        if (message.TaskId is not null || message.Delay is not null || message.NotBefore is not null)
        {
            throw new ArgumentException(
                $"The message of schedule '{name}' sets a task id, a delay or a not-before time; each tick chooses its own id (sched:{name}:<tick>) and runs at the tick.",
                nameof(message));
        }

        var schedule = new TaskSchedule
        {
            Name = name,
            Cron = cron,
            TimeZone = string.IsNullOrEmpty(timeZone) ? null : timeZone,
            Actor = message.Actor,
            Queue = message.Queue,
            Arguments = message.Arguments,
            Headers = message.Headers,
        };
        return _store.SetAsync(schedule, _timeProvider.GetUtcNow(), cancellationToken);
    }

    /// <summary>Removes the schedule <paramref name="name"/>; returns whether it existed. A tick already sent stays
    /// sent.</summary>
    public ValueTask<bool> RemoveAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _store.RemoveAsync(name, cancellationToken);
    }

    /// <summary>The schedule <paramref name="name"/>, or <see langword="null"/>.</summary>
    public ValueTask<TaskSchedule?> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _store.GetAsync(name, cancellationToken);
    }

    /// <summary>Every schedule (declared by attributes and added at run time), ordered by name.</summary>
    public ValueTask<IReadOnlyList<TaskSchedule>> ListAsync(CancellationToken cancellationToken = default) => _store.ListAsync(cancellationToken);
}
