using System;

namespace TypedTasks;

/// <summary>
/// The protocol's rule for task ids, actor names and queue names (docs/protocol.md): 1 to <see cref="MaxLength"/>
/// characters of <c>[A-Za-z0-9_.:-]</c>. The client refuses a message that breaks it and the Redis worker
/// dead-letters such an entry as <see cref="DeadLetterReason.MalformedMessage"/>, so both ends agree.
/// </summary>
/// <remarks>
/// The character set keeps names safe inside Redis keys and hash tags (no braces, spaces or control characters),
/// in log lines and on command lines, in every language a producer may be written in.
/// </remarks>
public static class WireNames
{
    /// <summary>The longest id or name, in characters (which are all ASCII, so also in bytes).</summary>
    public const int MaxLength = 128;

    /// <summary>Whether <paramref name="value"/> is a valid task id, actor name or queue name.</summary>
    public static bool IsValid(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty || value.Length > MaxLength)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!IsAllowed(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether the UTF-8 bytes <paramref name="utf8"/> are a valid task id, actor name or queue name.</summary>
    public static bool IsValid(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty || utf8.Length > MaxLength)
        {
            return false;
        }

        foreach (var b in utf8)
        {
            if (!IsAllowed((char)b))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Throws an <see cref="ArgumentException"/> naming <paramref name="what"/> (for example "task id") when
    /// <paramref name="value"/> breaks the rule.
    /// </summary>
    public static void ThrowIfInvalid(string? value, string what, string? paramName = null)
    {
        if (value is not null && IsValid(value))
        {
            return;
        }

        throw new ArgumentException(Describe(value, what), paramName);
    }

    /// <summary>Why <paramref name="value"/> breaks the rule, in one sentence.</summary>
    internal static string Describe(string? value, string what)
    {
        if (string.IsNullOrEmpty(value))
        {
            return $"The {what} is empty; it must be 1 to {MaxLength} characters of [A-Za-z0-9_.:-].";
        }

        var shown = value.Length > 40 ? string.Concat(value.AsSpan(0, 40), "…") : value;
        return value.Length > MaxLength
            ? $"The {what} '{shown}' is {value.Length} characters long; at most {MaxLength} are allowed."
            : $"The {what} '{shown}' may only contain letters A-Z and a-z, digits, '_', '.', ':' and '-'.";
    }

    private static bool IsAllowed(char c) =>
        c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_' or '.' or ':' or '-';
}
