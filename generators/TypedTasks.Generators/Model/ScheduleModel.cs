namespace TypedTasks.Generators.Model;

/// <summary>One <c>[Schedule]</c> of an actor, checked: a valid cron expression and, when set, a known time zone.</summary>
/// <param name="Name">The schedule's name (the attribute's, or the actor's wire name).</param>
/// <param name="TimeZone">Null for UTC.</param>
internal sealed record ScheduleModel(string Name, string Cron, string? TimeZone);
