using System;
using System.Security.Cryptography;

namespace TypedTasks;

/// <summary>
/// Generates task ids: 26 characters of Crockford base32 (ULID layout) — 48 bits of Unix milliseconds followed by
/// 80 random bits, so ids sort by creation time as ordinal strings and never collide in practice.
/// </summary>
public static class TaskId
{
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    /// <summary>Length of every id.</summary>
    public const int Length = 26;

    /// <summary>A new id stamped with the current time.</summary>
    public static string NewId() => NewId(DateTimeOffset.UtcNow);

    /// <summary>A new id stamped with <paramref name="timestamp"/>.</summary>
    public static string NewId(DateTimeOffset timestamp)
    {
        Span<byte> random = stackalloc byte[10];
        RandomNumberGenerator.Fill(random);
        var ms = (ulong)timestamp.ToUnixTimeMilliseconds();
        return string.Create(Length, (ms, Random: ToUInt128(random)), static (chars, state) =>
        {
            var ts = state.ms;
            for (var i = 9; i >= 0; i--)
            {
                chars[i] = Alphabet[(int)(ts & 31)];
                ts >>= 5;
            }

            var rnd = state.Random;
            for (var i = 25; i >= 10; i--)
            {
                chars[i] = Alphabet[(int)(rnd & 31)];
                rnd >>= 5;
            }
        });
    }

    /// <summary>Reads the timestamp back out of an id made by <see cref="NewId()"/>.</summary>
    public static bool TryGetTimestamp(string id, out DateTimeOffset timestamp)
    {
        timestamp = default;
        if (id is null || id.Length != Length)
        {
            return false;
        }

        ulong ms = 0;
        for (var i = 0; i < 10; i++)
        {
            var value = Alphabet.IndexOf(char.ToUpperInvariant(id[i]), StringComparison.Ordinal);
            if (value < 0)
            {
                return false;
            }

            ms = (ms << 5) | (uint)value;
        }

        if (ms > 253402300799999UL)
        {
            return false;
        }

        timestamp = DateTimeOffset.FromUnixTimeMilliseconds((long)ms);
        return true;
    }

    private static UInt128 ToUInt128(ReadOnlySpan<byte> bytes)
    {
        UInt128 value = 0;
        foreach (var b in bytes)
        {
            value = (value << 8) | b;
        }

        return value;
    }
}
