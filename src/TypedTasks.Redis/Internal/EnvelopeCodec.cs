using System;
using System.Collections.Generic;
using System.Globalization;
using StackExchange.Redis;

namespace TypedTasks.Redis.Internal;

/// <summary>
/// Maps a <see cref="TaskMessage"/> to stream fields and back. The argument bytes are copied into the entry as they
/// are; they are never parsed here (the worker validates them against the actor).
/// </summary>
internal static class EnvelopeCodec
{
    /// <summary>The envelope as alternating field names and values, ready for XADD or a script.</summary>
    public static List<RedisValue> ToFlat(TaskMessage message, int priorDeliveries = 0)
    {
        var flat = new List<RedisValue>(16)
        {
            Fields.Id, message.Id,
            Fields.Actor, message.Actor,
            Fields.Args, message.Arguments,
            Fields.Attempt, message.Attempt,
            Fields.EnqueuedAt, message.EnqueuedAt.ToUnixTimeMilliseconds(),
        };
        if (message.DueAt is { } due)
        {
            flat.Add(Fields.DueAt);
            flat.Add(due.ToUnixTimeMilliseconds());
        }

        if (message.Headers is { Count: > 0 } headers)
        {
            flat.Add(Fields.Headers);
            flat.Add(HeadersJson.Write(headers));
        }

        if (message.ReleasesUniqueKey)
        {
            flat.Add(Fields.UniqueKey);
            flat.Add(message.UniqueKey);
        }

        if (priorDeliveries > 0)
        {
            flat.Add(Fields.PriorDeliveries);
            flat.Add(priorDeliveries);
        }

        return flat;
    }

    public static NameValueEntry[] ToEntries(List<RedisValue> flat)
    {
        var entries = new NameValueEntry[flat.Count / 2];
        for (var i = 0; i < entries.Length; i++)
        {
            entries[i] = new NameValueEntry(flat[2 * i], flat[(2 * i) + 1]);
        }

        return entries;
    }

    public static long SizeOf(List<RedisValue> flat)
    {
        long size = 0;
        foreach (var value in flat)
        {
            size += value.GetByteCount();
        }

        return size;
    }

    public static long SizeOf(NameValueEntry[] entry)
    {
        long size = 0;
        foreach (var pair in entry)
        {
            size += pair.Name.GetByteCount() + pair.Value.GetByteCount();
        }

        return size;
    }

    /// <summary>
    /// Decodes a stream entry, or explains why it cannot be a task. Never throws: whatever bytes a foreign producer
    /// wrote, the answer is a message or a permanent <see cref="DeadLetterReason.MalformedMessage"/> /
    /// <see cref="DeadLetterReason.TooLarge"/> error (decoding the same bytes again cannot succeed).
    /// </summary>
    public static bool TryDecode(
        string queue,
        NameValueEntry[] entry,
        int maxBytes,
        out TaskMessage? message,
        out int priorDeliveries,
        out TaskError? error)
    {
        try
        {
            return TryDecodeCore(queue, entry, maxBytes, out message, out priorDeliveries, out error);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // A safety net for an input nobody foresaw: it is still bad input, not a reason to stall the read.
            message = null;
            priorDeliveries = 0;
            error = Malformed("Undecodable", "The entry could not be decoded: " + ex.Message);
            return false;
        }
    }

    private static bool TryDecodeCore(
        string queue,
        NameValueEntry[] entry,
        int maxBytes,
        out TaskMessage? message,
        out int priorDeliveries,
        out TaskError? error)
    {
        message = null;
        priorDeliveries = 0;
        error = null;
        var size = SizeOf(entry);
        if (size > maxBytes)
        {
            error = new TaskError(
                DeadLetterReason.TooLarge,
                "PayloadTooLarge",
                string.Create(CultureInfo.InvariantCulture, $"The entry holds {size} bytes; the limit is {maxBytes}."));
            return false;
        }

        RedisValue id = default, actor = default, args = default, attempt = default, enqueued = default, due = default, headers = default, dc = default, unique = default;
        var seen = 0;
        foreach (var pair in entry)
        {
            // Names arrive as byte arrays. Comparing them with string RedisValues (name == Fields.Id) converts and
            // tries number parsing on every test, which cost more than the rest of the decode together.
            var field = FieldName.Of(pair.Name);
            if (field == EnvelopeField.Unknown)
            {
                continue; // Unknown fields are ignored, so the envelope can grow compatibly.
            }

            var bit = 1 << (int)field;
            if ((seen & bit) != 0)
            {
                // Which of two values would be meant is anyone's guess; refusing beats running the wrong one.
                error = Malformed("DuplicateField", $"The field '{FieldName.Text(field)}' appears more than once.");
                return false;
            }

            seen |= bit;
            switch (field)
            {
                case EnvelopeField.Id: id = pair.Value; break;
                case EnvelopeField.Actor: actor = pair.Value; break;
                case EnvelopeField.Args: args = pair.Value; break;
                case EnvelopeField.Attempt: attempt = pair.Value; break;
                case EnvelopeField.EnqueuedAt: enqueued = pair.Value; break;
                case EnvelopeField.DueAt: due = pair.Value; break;
                case EnvelopeField.Headers: headers = pair.Value; break;
                case EnvelopeField.PriorDeliveries: dc = pair.Value; break;
                case EnvelopeField.UniqueKey: unique = pair.Value; break;
            }
        }

        if (id.IsNull || actor.IsNull || args.IsNull || attempt.IsNull || enqueued.IsNull)
        {
            error = Malformed("MissingField", "The entry lacks one of the required fields id, actor, args, attempt, enq.");
            return false;
        }

        var idBytes = ((ReadOnlyMemory<byte>)id).Span;
        if (!WireNames.IsValid(idBytes))
        {
            error = Malformed("InvalidId", InvalidName("id", idBytes));
            return false;
        }

        var actorBytes = ((ReadOnlyMemory<byte>)actor).Span;
        if (!WireNames.IsValid(actorBytes))
        {
            error = Malformed("InvalidActor", InvalidName("actor", actorBytes));
            return false;
        }

        if (!FieldName.TryParseInt32(attempt, out var attemptNumber) || attemptNumber < 1)
        {
            error = Malformed("InvalidField", "The field 'attempt' is not a positive integer.");
            return false;
        }

        if (!TryParseTime(enqueued, out var enqueuedAt))
        {
            error = Malformed("InvalidField", "The field 'enq' is not a Unix time in milliseconds.");
            return false;
        }

        DateTimeOffset? dueAt = null;
        if (!due.IsNull)
        {
            if (!TryParseTime(due, out var parsedDue))
            {
                error = Malformed("InvalidField", "The field 'due' is not a Unix time in milliseconds.");
                return false;
            }

            dueAt = parsedDue;
        }

        Dictionary<string, string>? headerMap = null;
        if (!headers.IsNull && !HeadersJson.TryRead(((ReadOnlyMemory<byte>)headers).Span, out headerMap))
        {
            error = Malformed("InvalidField", "The field 'h' is not a JSON object of strings in valid UTF-8.");
            return false;
        }

        if (!dc.IsNull && (!FieldName.TryParseInt32(dc, out priorDeliveries) || priorDeliveries < 0))
        {
            error = Malformed("InvalidField", "The field 'dc' is not a non-negative integer.");
            return false;
        }

        string? uniqueKey = null;
        if (!unique.IsNull)
        {
            var uniqueBytes = ((ReadOnlyMemory<byte>)unique).Span;
            if (!WireNames.IsValid(uniqueBytes))
            {
                error = Malformed("InvalidField", InvalidName("uq", uniqueBytes));
                return false;
            }

            uniqueKey = unique!;
        }

        message = new TaskMessage
        {
            // Both are checked ASCII above, so the conversions cannot meet an invalid byte.
            Id = id!,
            Actor = actor!,
            Queue = queue,
            Arguments = (byte[])args!,
            Attempt = attemptNumber,
            EnqueuedAt = enqueuedAt,
            DueAt = dueAt,
            Headers = headerMap,
            UniqueKey = uniqueKey,
        };
        return true;
    }

    private static string InvalidName(string field, ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty)
        {
            return $"The field '{field}' is empty.";
        }

        return value.Length > WireNames.MaxLength
            ? string.Create(CultureInfo.InvariantCulture, $"The field '{field}' is {value.Length} bytes long; at most {WireNames.MaxLength} characters of [A-Za-z0-9_.:-] are allowed.")
            : $"The field '{field}' may only contain letters A-Z and a-z, digits, '_', '.', ':' and '-'.";
    }

    private static bool TryParseTime(RedisValue value, out DateTimeOffset time)
    {
        time = default;
        if (!FieldName.TryParseInt64(value, out var ms) || ms < -62135596800000L || ms > 253402300799999L)
        {
            return false;
        }

        time = DateTimeOffset.FromUnixTimeMilliseconds(ms);
        return true;
    }

    private static TaskError Malformed(string code, string message) => new(DeadLetterReason.MalformedMessage, code, message);
}
