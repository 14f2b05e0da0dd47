using System;
using BenchmarkDotNet.Attributes;
using StackExchange.Redis;
using TypedTasks.Generated;
using TypedTasks.Redis.Internal;

namespace TypedTasks.Benchmarks;

/// <summary>The shipped envelope decode and argument reading of <c>NoOp</c> against <see cref="PrototypeFixes"/>.</summary>
[MemoryDiagnoser]
public class PrototypeBenchmarks
{
    private NameValueEntry[] _entry = [];
    private ReadOnlyMemory<byte> _arguments;

    [GlobalSetup]
    public void Setup()
    {
        var message = StreamEntries.Stamped(Tasks.BenchActors.NoOp.Message(42, StreamEntries.Payload));
        _entry = StreamEntries.AsReceived(message);
        _arguments = message.Arguments.ToArray();
        var shipped = ShippedDecode();
        var prototype = PrototypeFixes.DecodeWithByteNames("default", _entry);
        if (shipped.Id != prototype.Id || shipped.EnqueuedAt != prototype.EnqueuedAt || shipped.Attempt != prototype.Attempt)
        {
            throw new InvalidOperationException("The prototype decodes differently.");
        }
    }

    [Benchmark(Baseline = true, Description = "shipped: EnvelopeCodec.TryDecode")]
    public TaskMessage ShippedDecode() =>
        EnvelopeCodec.TryDecode("default", _entry, int.MaxValue, out var message, out _, out _) ? message! : throw new InvalidOperationException();

    [Benchmark(Description = "prototype: field names compared as bytes")]
    public TaskMessage PrototypeDecode() => PrototypeFixes.DecodeWithByteNames("default", _entry);

    [Benchmark(Description = "shipped: generated NoOp InvokeAsync")]
    public void ShippedArguments() => Tasks.BenchActors.NoOp.Actor.InvokeAsync(new ActorInvocation(_arguments, null, null!, default));

    [Benchmark(Description = "prototype: NoOp with GetInt32/GetString")]
    public void PrototypeArguments() => PrototypeFixes.InvokeNoOpWithDirectReads(_arguments.Span);
}
