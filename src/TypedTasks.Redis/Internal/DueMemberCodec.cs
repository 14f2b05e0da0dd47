using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using StackExchange.Redis;

namespace TypedTasks.Redis.Internal;

/// <summary>
/// A due-later message is stored as one sorted-set member: the stream fields, each written as
/// <c>&lt;byte length&gt;:&lt;bytes&gt;</c>, concatenated. Lua splits it back with <c>string.find</c>/<c>string.sub</c>
/// (see <see cref="RedisScripts"/>); binary-safe and trivial to produce from any language.
/// </summary>
internal static class DueMemberCodec
{
    public static byte[] Encode(List<RedisValue> flat)
    {
        var total = 0;
        foreach (var value in flat)
        {
            var length = value.GetByteCount();
            total += CountDigits(length) + 1 + length;
        }

        var member = new byte[total];
        var span = member.AsSpan();
        foreach (var value in flat)
        {
            var length = value.GetByteCount();
            length.TryFormat(span, out var written, default, CultureInfo.InvariantCulture);
            span[written] = (byte)':';
            span = span[(written + 1)..];
            value.CopyTo(span);
            span = span[length..];
        }

        return member;
    }

    /// <summary>The reverse of <see cref="Encode"/> (used by tests and diagnostics; the hot path decodes in Lua).</summary>
    public static List<RedisValue>? TryDecode(ReadOnlySpan<byte> member)
    {
        var flat = new List<RedisValue>();
        while (!member.IsEmpty)
        {
            var colon = member.IndexOf((byte)':');
            if (colon <= 0 || !int.TryParse(Encoding.ASCII.GetString(member[..colon]), NumberStyles.None, CultureInfo.InvariantCulture, out var length)
                || length > member.Length - colon - 1)
            {
                return null;
            }

            flat.Add(member.Slice(colon + 1, length).ToArray());
            member = member[(colon + 1 + length)..];
        }

        return flat.Count % 2 == 0 && flat.Count > 0 ? flat : null;
    }

    private static int CountDigits(int value)
    {
        var digits = 1;
        while (value >= 10)
        {
            value /= 10;
            digits++;
        }

        return digits;
    }
}
