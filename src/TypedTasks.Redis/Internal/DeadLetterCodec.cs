using System;
using System.Collections.Generic;
using System.Globalization;
using StackExchange.Redis;

namespace TypedTasks.Redis.Internal;

/// <summary>
/// A dead-letter entry is the failed entry's own fields preceded by seven metadata pairs in a fixed order
/// (<c>x_reason, x_type, x_message, x_stack, x_at, x_entry, x_deliveries</c>). Reading them by position means a
/// malformed entry that happens to contain an <c>x_*</c> field is still preserved verbatim.
/// </summary>
internal static class DeadLetterCodec
{
    public static void AddMetadata(List<RedisValue> args, TaskError error, long nowMs, string entryId, int deliveries)
    {
        args.Add(Fields.DeadReason);
        args.Add(error.Reason.ToString());
        args.Add(Fields.DeadType);
        args.Add(error.Type);
        args.Add(Fields.DeadMessage);
        args.Add(error.Message);
        args.Add(Fields.DeadStack);
        args.Add(error.StackTrace ?? string.Empty);
        args.Add(Fields.DeadAt);
        args.Add(nowMs);
        args.Add(Fields.DeadEntry);
        args.Add(entryId);
        args.Add(Fields.DeadDeliveries);
        args.Add(deliveries);
    }

    public static DeadLetter Decode(string queue, StreamEntry entry)
    {
        var values = entry.Values;
        var metadata = values.Length >= Fields.DeadLetterMetadataPairs
            && values[0].Name == Fields.DeadReason
            && values[4].Name == Fields.DeadAt
            ? Fields.DeadLetterMetadataPairs
            : 0;

        var error = metadata == 0
            ? new TaskError(DeadLetterReason.MalformedMessage, "Unknown", "The dead letter carries no error metadata.")
            : new TaskError(
                Enum.TryParse<DeadLetterReason>(values[0].Value.ToString(), out var reason) ? reason : DeadLetterReason.MalformedMessage,
                values[1].Value.ToString(),
                values[2].Value.ToString(),
                values[3].Value.IsNullOrEmpty ? null : values[3].Value.ToString());

        var at = metadata != 0 && values[4].Value.TryParse(out long atMs)
            ? DateTimeOffset.FromUnixTimeMilliseconds(atMs)
            : DeadLetterTimeFromId(entry.Id);

        var original = values.AsSpan(metadata).ToArray();
        if (EnvelopeCodec.TryDecode(queue, original, int.MaxValue, out var message, out _, out _))
        {
            return new DeadLetter(entry.Id!, queue, message, null, error, at);
        }

        var raw = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in original)
        {
            raw[pair.Name!] = pair.Value!;
        }

        return new DeadLetter(entry.Id!, queue, null, raw, error, at);
    }

    private static DateTimeOffset DeadLetterTimeFromId(RedisValue id)
    {
        var text = id.ToString();
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        return long.TryParse(dash < 0 ? text : text[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : default;
    }
}
