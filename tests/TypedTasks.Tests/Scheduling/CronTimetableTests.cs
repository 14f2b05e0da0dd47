using System;
using System.Collections.Generic;
using System.Linq;

namespace TypedTasks.Tests.Scheduling;

/// <summary>How ticks fall across daylight-saving transitions (Cronos' rules, which docs/schedules.md states).</summary>
public sealed class CronTimetableTests
{
    private static readonly DateTimeOffset SpringNight = new(2026, 3, 29, 0, 0, 0, TimeSpan.Zero);   // 02:00 CET -> 03:00 CEST
    private static readonly DateTimeOffset AutumnNight = new(2026, 10, 24, 23, 0, 0, TimeSpan.Zero); // 03:00 CEST -> 02:00 CET

    [Fact]
    public void A_fixed_time_in_the_skipped_hour_runs_once_at_the_jump()
    {
        var ticks = Ticks("30 2 * * *", SpringNight, TimeSpan.FromDays(2));
        Assert.Equal([At(2026, 3, 29, 1, 0), At(2026, 3, 30, 0, 30)], ticks);   // 03:00 CEST, then 02:30 CEST
    }

    [Fact]
    public void A_fixed_time_in_the_repeated_hour_runs_once()
    {
        var ticks = Ticks("30 2 * * *", AutumnNight, TimeSpan.FromDays(2));
        Assert.Equal([At(2026, 10, 25, 0, 30), At(2026, 10, 26, 1, 30)], ticks);   // 02:30 CEST only, then 02:30 CET
    }

    [Fact]
    public void An_interval_runs_in_both_instances_of_the_repeated_hour_and_skips_the_missing_one()
    {
        Assert.Equal(
            [At(2026, 10, 25, 0, 0), At(2026, 10, 25, 0, 30), At(2026, 10, 25, 1, 0), At(2026, 10, 25, 1, 30)],
            Ticks("*/30 * * * *", AutumnNight.AddMinutes(59), TimeSpan.FromHours(2)));   // 02:00, 02:30 CEST; 02:00, 02:30 CET
        Assert.Equal(
            [At(2026, 3, 29, 0, 30), At(2026, 3, 29, 1, 0), At(2026, 3, 29, 1, 30)],
            Ticks("*/30 * * * *", SpringNight.AddMinutes(1), TimeSpan.FromMinutes(90)));   // 01:30 CET, then 03:00, 03:30 CEST
    }

    [Fact]
    public void Six_fields_mean_seconds_first_and_no_time_zone_means_utc()
    {
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal([start.AddSeconds(15), start.AddSeconds(30), start.AddSeconds(45)], Ticks("*/15 * * * * *", start, TimeSpan.FromSeconds(59), timeZone: null));
        Assert.Equal([start.AddMinutes(1)], Ticks("* * * * *", start, TimeSpan.FromSeconds(61), timeZone: null));
    }

    [Fact]
    public void The_latest_tick_at_or_before_a_moment_includes_the_moment()
    {
        var timetable = CronTimetable.Parse("0 * * * *", null);
        var hour = new DateTimeOffset(2026, 1, 1, 5, 0, 0, TimeSpan.Zero);
        Assert.Equal(hour, timetable.LatestAtOrBefore(hour));
        Assert.Equal(hour, timetable.LatestAtOrBefore(hour.AddMinutes(59)));
    }

    private static DateTimeOffset At(int year, int month, int day, int hour, int minute) => new(year, month, day, hour, minute, 0, TimeSpan.Zero);

    private static List<DateTimeOffset> Ticks(string cron, DateTimeOffset from, TimeSpan span, string? timeZone = "Europe/Berlin")
    {
        var timetable = CronTimetable.Parse(cron, timeZone);
        var ticks = new List<DateTimeOffset>();
        for (var tick = timetable.NextAfter(from); tick is { } t && t <= from + span; tick = timetable.NextAfter(t))
        {
            ticks.Add(t.ToUniversalTime());
        }

        return ticks.Select(static t => new DateTimeOffset(t.UtcDateTime, TimeSpan.Zero)).ToList();
    }
}
