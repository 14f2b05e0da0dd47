using TypedTasks;

namespace Reports.Actors;

/// <summary>A periodic task: every worker runs the scheduler, and each tick is still sent once.</summary>
public static class HeartbeatActors
{
    /// <summary>Every two seconds (six fields: seconds first). The NativeAOT end-to-end check counts the ticks two
    /// worker processes ran: every one of them, once.</summary>
    [Actor(Name = "heartbeat.beat", Queue = "heartbeat"), Schedule("*/2 * * * * *", Name = "heartbeat")]
    public static void Beat()
    {
    }
}
