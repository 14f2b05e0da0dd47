using System;

namespace TypedTasks;

/// <summary>
/// Runs an <c>[Actor]</c> periodically, on a cron expression. Any number of workers may run the scheduler: each tick
/// is sent exactly once (docs/schedules.md). The generator checks the expression and the time zone at build time
/// (TT0208, TT0209) and emits the schedule into the actor's descriptor; hosting registers it at start-up.
/// </summary>
/// <remarks>
/// <para>
/// The cron expression is Cronos' format: five fields (<c>minute hour day-of-month month day-of-week</c>), or six with
/// seconds first (<c>*/10 * * * * *</c>: every ten seconds), or a macro such as <c>@daily</c>.
/// </para>
/// <para>
/// The scheduled message carries no arguments (<c>{}</c>), so the actor's parameters must all have default values
/// (a <see cref="System.Threading.CancellationToken"/> aside; TT0210 otherwise). A schedule that needs arguments is
/// added at run time with <see cref="TaskSchedules.SetAsync(string, string, TaskRequest, string?, System.Threading.CancellationToken)"/>
/// and a message built by the stub, <c>Tasks.X.Y.Message(args)</c>.
/// </para>
/// </remarks>
/// <example><c>[Actor(Name = "reports.nightly"), Schedule("0 3 * * *", TimeZone = "Europe/Berlin")]</c></example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class ScheduleAttribute : Attribute
{
    /// <summary>A schedule on <paramref name="cron"/> (five fields, or six with seconds first).</summary>
    public ScheduleAttribute(string cron)
    {
        Cron = cron;
    }

    /// <summary>The cron expression.</summary>
    public string Cron { get; }

    /// <summary>The time zone the expression is read in: an IANA id (<c>Europe/Berlin</c>) or, on Windows, a Windows
    /// id. Unset = UTC.</summary>
    public string? TimeZone { get; set; }

    /// <summary>The schedule's name: unique among all schedules sharing a broker, and part of every tick's task id
    /// (1–100 characters of <c>[A-Za-z0-9_.:-]</c>). Unset = the actor's wire name; an actor with several schedules
    /// names all but one of them.</summary>
    public string? Name { get; set; }
}
