using System;
using Cronos;

namespace TypedTasks;

/// <summary>
/// A cron expression read in a time zone: the one place that parses cron (with Cronos) and steps through occurrences.
/// Daylight-saving transitions follow Cronos: a tick inside a skipped hour runs at the first moment after the jump, a
/// tick inside a repeated hour runs once (at its first instance; interval expressions such as <c>*/15</c> also fire in
/// the repeated hour).
/// </summary>
internal sealed class CronTimetable
{
    private readonly CronExpression _expression;

    private CronTimetable(string cron, string? timeZoneId, CronExpression expression, TimeZoneInfo timeZone)
    {
        Cron = cron;
        TimeZoneId = timeZoneId;
        _expression = expression;
        TimeZone = timeZone;
    }

    public string Cron { get; }

    public string? TimeZoneId { get; }

    public TimeZoneInfo TimeZone { get; }

    /// <summary>Six fields mean seconds first; anything else (five fields, a macro) is the standard format.</summary>
    public static CronFormat FormatOf(string cron) =>
        cron.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard;

    /// <summary>Parses <paramref name="cron"/> in <paramref name="timeZoneId"/> (null or empty = UTC).</summary>
    /// <exception cref="ArgumentException">The expression is not valid cron, or the time zone is unknown here; the
    /// message names the value.</exception>
    public static CronTimetable Parse(string cron, string? timeZoneId, string paramName = "cron")
    {
        ArgumentNullException.ThrowIfNull(cron, paramName);
        var fields = cron.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
        if (!cron.TrimStart().StartsWith('@') && fields is not (5 or 6))
        {
            throw new ArgumentException(
                $"'{cron}' is not a valid cron expression: it has {fields} field(s), but cron has five ('minute hour day-of-month month day-of-week') or six (seconds first).",
                paramName);
        }

        CronExpression expression;
        try
        {
            expression = CronExpression.Parse(cron, FormatOf(cron));
        }
        catch (CronFormatException exception)
        {
            throw new ArgumentException(
                $"'{cron}' is not a valid cron expression: {Reason(exception)} (five fields 'minute hour day month weekday', or six with seconds first).",
                paramName, exception);
        }

        return new CronTimetable(cron, string.IsNullOrEmpty(timeZoneId) ? null : timeZoneId, expression, FindTimeZone(timeZoneId));
    }

    private static string Reason(CronFormatException exception)
    {
        const string Preamble = "The given cron expression has an invalid format. ";
        var message = exception.Message.StartsWith(Preamble, StringComparison.Ordinal) ? exception.Message[Preamble.Length..] : exception.Message;
        return message.Replace("'\0'", "the end", StringComparison.Ordinal).TrimEnd('.');
    }

    /// <exception cref="ArgumentException">The id is not known on this machine.</exception>
    public static TimeZoneInfo FindTimeZone(string? timeZoneId)
    {
        if (string.IsNullOrEmpty(timeZoneId))
        {
            return TimeZoneInfo.Utc;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(timeZoneId);
        }
        catch (Exception exception) when (exception is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new ArgumentException($"Time zone '{timeZoneId}' is not known on this machine: use an IANA id such as 'Europe/Berlin', or leave it unset for UTC.", "timeZone", exception);
        }
    }

    /// <summary>The first tick strictly after <paramref name="after"/>; null when there is none.</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset after) => _expression.GetNextOccurrence(after, TimeZone, inclusive: false);

    /// <summary>The last tick at or before <paramref name="atOrBefore"/>; null when there is none.</summary>
    public DateTimeOffset? LatestAtOrBefore(DateTimeOffset atOrBefore) => _expression.GetPreviousOccurrence(atOrBefore, TimeZone, inclusive: true);
}
