using System;
using System.Globalization;
using Spectre.Console;

namespace TypedTasks.Cli.Output;

/// <summary>Formatting shared by the tables: ages, times, counts, untrusted text.</summary>
internal static class Tables
{
    public static Table Create(params string[] columns)
    {
        var table = new Table().Border(TableBorder.Rounded);
        foreach (var column in columns)
        {
            table.AddColumn(new TableColumn(Markup.Escape(column)));
        }

        return table;
    }

    /// <summary>Right-aligns the columns that hold numbers.</summary>
    public static Table RightAlign(this Table table, params int[] columns)
    {
        foreach (var column in columns)
        {
            table.Columns[column].RightAligned();
        }

        return table;
    }

    /// <summary>Text from Redis is shown as it is, never interpreted as Spectre markup.</summary>
    public static string Text(string? value) => value is null ? "-" : Markup.Escape(value);

    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>UTC, to the second: the same on every machine that looks at the same deployment.</summary>
    public static string Time(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>A compact age: 850ms, 42s, 5m12s, 3h04m, 2d05h.</summary>
    public static string Age(TimeSpan age)
    {
        if (age < TimeSpan.Zero)
        {
            age = TimeSpan.Zero;
        }

        return age.TotalSeconds < 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalMilliseconds}ms")
            : age.TotalMinutes < 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalSeconds}s")
            : age.TotalHours < 1 ? string.Create(CultureInfo.InvariantCulture, $"{age.Minutes}m{age.Seconds:00}s")
            : age.TotalDays < 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalHours}h{age.Minutes:00}m")
            : string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalDays}d{age.Hours:00}h");
    }

    /// <summary>At most <paramref name="max"/> characters on one line: a dead letter's message can be a whole page.</summary>
    public static string Shorten(string? value, int max)
    {
        if (value is null)
        {
            return "-";
        }

        var line = value.ReplaceLineEndings(" ");
        return Markup.Escape(line.Length <= max ? line : string.Concat(line.AsSpan(0, max - 1), "…"));
    }
}
