namespace TypedTasks;

/// <summary>What the scheduler does with ticks that passed while no scheduler ran (ticks later than
/// <see cref="SchedulerOptions.MissedTickThreshold"/>).</summary>
public enum MissedTickPolicy
{
    /// <summary>Send one message for the latest missed tick (its task id names that tick); the earlier ones are
    /// dropped. The default.</summary>
    FireOnce = 0,

    /// <summary>Send nothing for missed ticks; the schedule goes on with the next tick.</summary>
    Skip = 1,
}
