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

    /// <summary>Decodes a stream entry, or explains why it cannot be a task.</summary>
    public static bool TryDecode(
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

        RedisValue id = default, actor = default, args = default, attempt = default, enqueued = default, due = default, headers = default, dc = default;
        foreach (var pair in entry)
        {
            // Names arrive as byte arrays. Comparing them with string RedisValues (name == Fields.Id) converts and
            // tries number parsing on every test, which cost more than the rest of the decode together.
            switch (FieldName.Of(pair.Name))
            {
                case EnvelopeField.Id: id = pair.Value; break;
                case EnvelopeField.Actor: actor = pair.Value; break;
                case EnvelopeField.Args: args = pair.Value; break;
                case EnvelopeField.Attempt: attempt = pair.Value; break;
                case EnvelopeField.EnqueuedAt: enqueued = pair.Value; break;
                case EnvelopeField.DueAt: due = pair.Value; break;
                case EnvelopeField.Headers: headers = pair.Value; break;
                case EnvelopeField.PriorDeliveries: dc = pair.Value; break;
            }
        }

        if (id.IsNullOrEmpty || actor.IsNullOrEmpty || args.IsNull || attempt.IsNull || enqueued.IsNull)
        {
            error = Malformed("MissingField", "The entry lacks one of the required fields id, actor, args, attempt, enq.");
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
            error = Malformed("InvalidField", "The field 'h' is not a JSON object of strings.");
            return false;
        }

        if (!dc.IsNull && (!FieldName.TryParseInt32(dc, out priorDeliveries) || priorDeliveries < 0))
        {
            error = Malformed("InvalidField", "The field 'dc' is not a non-negative integer.");
            return false;
        }

        message = new TaskMessage
        {
            Id = id!,
            Actor = actor!,
            Queue = queue,
            Arguments = (byte[])args!,
            Attempt = attemptNumber,
            EnqueuedAt = enqueuedAt,
            DueAt = dueAt,
            Headers = headerMap,
        };
        return true;
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
