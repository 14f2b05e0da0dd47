using System.Threading;
using System.Threading.Tasks;

namespace TypedTasks.Generators.Tests.Actors;

/// <summary>Actors with <see cref="ScheduleAttribute"/>s: the generator emits them into the descriptors.</summary>
public static class ScheduledActors
{
    /// <summary>Every night at three, Berlin time, and every Monday at noon UTC.</summary>
    [Actor(Name = "scheduled.nightly")]
    [Schedule("0 3 * * *", TimeZone = "Europe/Berlin")]
    [Schedule("0 12 * * MON", Name = "scheduled.monday-noon")]
    public static Task NightlyAsync(int days = 1, CancellationToken cancellationToken = default) => Task.Delay(days, cancellationToken);

    /// <summary>Every ten seconds (six fields: seconds first).</summary>
    [Actor(Name = "scheduled.heartbeat"), Schedule("*/10 * * * * *")]
    public static void Heartbeat()
    {
    }

    /// <summary>No schedule: the descriptor keeps the base class's empty list.</summary>
    [Actor(Name = "scheduled.unscheduled")]
    public static void Unscheduled()
    {
    }
}
