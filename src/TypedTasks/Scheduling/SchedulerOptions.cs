using System;

namespace TypedTasks;

/// <summary>How a <see cref="PeriodicScheduler"/> runs. Hosting binds it from <c>TypedTasks:Scheduler</c>.</summary>
public sealed class SchedulerOptions
{
    /// <summary>Whether a hosted worker also runs the scheduler (default: every worker does; ticks are still sent
    /// once each).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>What happens to ticks that were missed while no scheduler ran. Default:
    /// <see cref="MissedTickPolicy.FireOnce"/>.</summary>
    public MissedTickPolicy MissedTicks { get; set; } = MissedTickPolicy.FireOnce;

    /// <summary>How late a tick may be and still be sent as itself. A tick later than this counts as missed and
    /// follows <see cref="MissedTicks"/>. Default: 1 minute; at least 1 second.</summary>
    public TimeSpan MissedTickThreshold { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the scheduler re-reads the stored schedules, to see ones added, changed or removed by other
    /// processes. Default: 5 seconds. It sleeps until the next tick or this, whichever comes first.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The clock; tests inject a fake one. Hosting sets the host's.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    internal void Validate()
    {
        if (MissedTickThreshold < TimeSpan.FromSeconds(1))
        {
            // Below a second, a scheduler that wakes a few milliseconds after a tick would count it as missed.
            throw new ArgumentException($"SchedulerOptions.MissedTickThreshold is {MissedTickThreshold}; it must be at least one second.", nameof(MissedTickThreshold));
        }

        if (RefreshInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException($"SchedulerOptions.RefreshInterval is {RefreshInterval}; it must be positive.", nameof(RefreshInterval));
        }

        if (MissedTicks is not (MissedTickPolicy.FireOnce or MissedTickPolicy.Skip))
        {
            throw new ArgumentException($"SchedulerOptions.MissedTicks is {MissedTicks}, which is not a MissedTickPolicy.", nameof(MissedTicks));
        }

        ArgumentNullException.ThrowIfNull(TimeProvider);
    }
}
