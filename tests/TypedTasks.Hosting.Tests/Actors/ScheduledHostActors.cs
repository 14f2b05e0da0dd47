using TypedTasks;

namespace TypedTasks.Hosting.Tests.Actors;

/// <summary>A declared schedule that never comes due while tests run (midnight of 1 January), so it cannot disturb the
/// other hosts built from this assembly's registry: the hosting tests check that it is registered, not that it fires.</summary>
public static class ScheduledHostActors
{
    [Actor(Name = "hosting.new-year"), Schedule("0 0 1 1 *", Name = "hosting.new-year", TimeZone = "Europe/Berlin")]
    public static int NewYear(int year = 2027) => year;
}
