using System;
using System.CommandLine.Parsing;
using System.Globalization;

namespace TypedTasks.Cli.Commands;

/// <summary>Durations on the command line: <c>90s</c>, <c>15m</c>, <c>2h</c>, <c>7d</c>, <c>500ms</c>, or a
/// <see cref="TimeSpan"/> such as <c>01:30:00</c>.</summary>
internal static class Durations
{
    public static TimeSpan Parse(ArgumentResult result)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
        if (TryParse(text, out var value) && value > TimeSpan.Zero)
        {
            return value;
        }

        result.AddError($"'{text}' is not a positive duration (examples: 500ms, 30s, 15m, 2h, 7d, 01:30:00).");
        return TimeSpan.Zero;
    }

    public static bool TryParse(string text, out TimeSpan value)
    {
        text = text.Trim();
        // "ms" before "s" and "m": the longest suffix that matches wins.
        (string Suffix, double Milliseconds)[] units = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000)];
        foreach (var (suffix, milliseconds) in units)
        {
            if (text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                && double.TryParse(text.AsSpan(0, text.Length - suffix.Length), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
            {
                value = TimeSpan.FromMilliseconds(amount * milliseconds);
                return true;
            }
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out value);
    }
}
