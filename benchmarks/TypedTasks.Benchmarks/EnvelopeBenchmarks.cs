using System.Collections.Generic;
using BenchmarkDotNet.Attributes;
using StackExchange.Redis;
using TypedTasks.Redis.Internal;

namespace TypedTasks.Benchmarks;

/// <summary>The Redis stream-field encoding of a task envelope (<c>EnvelopeCodec</c>, docs/redis.md), both ways.</summary>
[MemoryDiagnoser]
public class EnvelopeBenchmarks
{
    private TaskMessage _message = null!;
    private NameValueEntry[] _entry = [];

    [GlobalSetup]
    public void Setup()
    {
        _message = StreamEntries.Stamped(Tasks.BenchActors.NoOp.Message(42, StreamEntries.Payload));
        _entry = StreamEntries.AsReceived(_message);
    }

    [Benchmark(Description = "encode: TaskMessage -> field/value list")]
    public List<RedisValue> Encode() => EnvelopeCodec.ToFlat(_message);

    [Benchmark(Description = "decode: stream entry -> TaskMessage")]
    public TaskMessage? Decode()
    {
        EnvelopeCodec.TryDecode("default", _entry, int.MaxValue, out var message, out _, out _);
        return message;
    }
}
