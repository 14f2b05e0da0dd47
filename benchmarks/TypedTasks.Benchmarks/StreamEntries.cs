using System;
using StackExchange.Redis;
using TypedTasks.Redis.Internal;

namespace TypedTasks.Benchmarks;

/// <summary>Stream entries as a worker receives them from StackExchange.Redis: every field a byte-array value.</summary>
internal static class StreamEntries
{
    public static readonly string Payload = new('x', 100);

    public static TaskMessage Stamped(TaskRequest request) => request.ToMessage(DateTimeOffset.UtcNow);

    public static NameValueEntry[] AsReceived(TaskMessage message)
    {
        var entries = EnvelopeCodec.ToEntries(EnvelopeCodec.ToFlat(message));
        for (var i = 0; i < entries.Length; i++)
        {
            entries[i] = new NameValueEntry((byte[])entries[i].Name!, (byte[])entries[i].Value!);
        }

        return entries;
    }
}
