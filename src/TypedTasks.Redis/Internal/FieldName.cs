using System;
using System.Buffers.Text;
using StackExchange.Redis;

namespace TypedTasks.Redis.Internal;

/// <summary>
/// Reads envelope field names and numbers straight from the bytes StackExchange.Redis hands over. Received values
/// are byte arrays; the casts below return their memory without copying (a string value, as built by hand in tests,
/// is encoded first, which is correct but slower).
/// </summary>
internal static class FieldName
{
    /// <summary>Which envelope field <paramref name="name"/> is. The literals must match <see cref="Fields"/>.</summary>
    public static EnvelopeField Of(RedisValue name)
    {
        var bytes = ((ReadOnlyMemory<byte>)name).Span;
        return bytes.Length switch
        {
            1 when bytes[0] == (byte)'h' => EnvelopeField.Headers,
            2 when bytes.SequenceEqual("id"u8) => EnvelopeField.Id,
            2 when bytes.SequenceEqual("dc"u8) => EnvelopeField.PriorDeliveries,
            2 when bytes.SequenceEqual("uq"u8) => EnvelopeField.UniqueKey,
            3 when bytes.SequenceEqual("enq"u8) => EnvelopeField.EnqueuedAt,
            3 when bytes.SequenceEqual("due"u8) => EnvelopeField.DueAt,
            4 when bytes.SequenceEqual("args"u8) => EnvelopeField.Args,
            5 when bytes.SequenceEqual("actor"u8) => EnvelopeField.Actor,
            7 when bytes.SequenceEqual("attempt"u8) => EnvelopeField.Attempt,
            _ => EnvelopeField.Unknown,
        };
    }

    /// <summary>The wire name of <paramref name="field"/>, for error messages.</summary>
    public static string Text(EnvelopeField field) => field switch
    {
        EnvelopeField.Id => "id",
        EnvelopeField.Actor => "actor",
        EnvelopeField.Args => "args",
        EnvelopeField.Attempt => "attempt",
        EnvelopeField.EnqueuedAt => "enq",
        EnvelopeField.DueAt => "due",
        EnvelopeField.Headers => "h",
        EnvelopeField.PriorDeliveries => "dc",
        EnvelopeField.UniqueKey => "uq",
        _ => "?",
    };

    /// <summary>Parses a whole value as a decimal integer; anything else (blank, trailing text) fails.</summary>
    public static bool TryParseInt32(RedisValue value, out int number)
    {
        var bytes = ((ReadOnlyMemory<byte>)value).Span;
        return Utf8Parser.TryParse(bytes, out number, out var consumed) && consumed == bytes.Length && bytes.Length > 0;
    }

    /// <inheritdoc cref="TryParseInt32"/>
    public static bool TryParseInt64(RedisValue value, out long number)
    {
        var bytes = ((ReadOnlyMemory<byte>)value).Span;
        return Utf8Parser.TryParse(bytes, out number, out var consumed) && consumed == bytes.Length && bytes.Length > 0;
    }
}
