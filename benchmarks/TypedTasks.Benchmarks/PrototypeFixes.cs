using System;
using System.Buffers.Text;
using System.Text.Json;
using StackExchange.Redis;

namespace TypedTasks.Benchmarks;

/// <summary>
/// Hand-written prototypes of two changes this benchmark suggests, measured beside the shipped code so the report can
/// say what they would buy. Neither is used by TypedTasks itself.
/// </summary>
internal static class PrototypeFixes
{
    private static readonly byte[] s_id = "id"u8.ToArray();
    private static readonly byte[] s_actor = "actor"u8.ToArray();
    private static readonly byte[] s_args = "args"u8.ToArray();
    private static readonly byte[] s_attempt = "attempt"u8.ToArray();
    private static readonly byte[] s_enqueued = "enq"u8.ToArray();

    /// <summary>
    /// EnvelopeCodec.TryDecode's field matching, with the names compared as bytes. The shipped code compares each
    /// received name (a byte-array RedisValue) with string RedisValues (<c>name == Fields.Id</c>); a mixed-type RedisValue
    /// comparison goes through <c>Simplify</c>/number-parsing attempts on every test. Only the required fields are
    /// handled here (the benchmark's entry has no others).
    /// </summary>
    public static TaskMessage DecodeWithByteNames(string queue, NameValueEntry[] entry)
    {
        RedisValue id = default, actor = default, args = default, attempt = default, enqueued = default;
        foreach (var pair in entry)
        {
            var name = ((ReadOnlyMemory<byte>)pair.Name).Span;
            if (name.SequenceEqual(s_id)) { id = pair.Value; }
            else if (name.SequenceEqual(s_actor)) { actor = pair.Value; }
            else if (name.SequenceEqual(s_args)) { args = pair.Value; }
            else if (name.SequenceEqual(s_attempt)) { attempt = pair.Value; }
            else if (name.SequenceEqual(s_enqueued)) { enqueued = pair.Value; }
        }

        if (!Utf8Parser.TryParse(((ReadOnlyMemory<byte>)attempt).Span, out int attemptNumber, out _) ||
            !Utf8Parser.TryParse(((ReadOnlyMemory<byte>)enqueued).Span, out long enqueuedMs, out _))
        {
            throw new InvalidOperationException("Malformed entry.");
        }

        return new TaskMessage
        {
            Id = id!,
            Actor = actor!,
            Queue = queue,
            Arguments = (byte[])args!,
            Attempt = attemptNumber,
            EnqueuedAt = DateTimeOffset.FromUnixTimeMilliseconds(enqueuedMs),
        };
    }

    /// <summary>
    /// The generated <c>NoOp</c> argument reader with built-in primitives read straight off the reader
    /// (<c>GetInt32</c>, <c>GetString</c>) instead of <c>JsonSerializer.Deserialize(ref reader, JsonTypeInfo&lt;T&gt;)</c>,
    /// which scopes a copy of the reader to the next value for every argument.
    /// </summary>
    public static void InvokeNoOpWithDirectReads(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        int i = 0;
        string? payload = null;
        bool hasI = false, hasPayload = false;
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("i"u8))
            {
                reader.Read();
                i = reader.GetInt32();
                hasI = true;
            }
            else if (reader.ValueTextEquals("payload"u8))
            {
                reader.Read();
                payload = reader.GetString();
                hasPayload = true;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (!hasI || !hasPayload || payload is null)
        {
            throw new TaskArgumentException("Missing argument.");
        }

        BenchActors.NoOp(i, payload);
    }
}
