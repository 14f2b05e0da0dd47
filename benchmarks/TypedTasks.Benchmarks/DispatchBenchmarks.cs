using System;
using System.Buffers;
using BenchmarkDotNet.Attributes;
using StackExchange.Redis;
using TypedTasks.Generated;
using TypedTasks.Redis.Internal;

namespace TypedTasks.Benchmarks;

/// <summary>
/// The worker's per-task CPU work for one received stream entry: decode the envelope fields, find the actor, decode
/// its arguments, invoke it, encode its result. Generated (<c>Tasks.Registry</c> + <c>ActorDescriptor.InvokeAsync</c>)
/// against <see cref="ReflectionDispatcher"/> on the same actors and the same bytes. The <c>*Arguments*</c> pair
/// leaves the (shared) envelope decode out, to show the dispatch alone.
/// </summary>
[MemoryDiagnoser]
public class DispatchBenchmarks
{
    private readonly ArrayBufferWriter<byte> _result = new(256);
    private readonly ReflectionDispatcher _reflection = new(typeof(BenchActors));
    private NameValueEntry[] _entry = [];
    private ReadOnlyMemory<byte> _arguments;
    private ActorDescriptor _actor = null!;

    /// <summary><c>NoOp</c> returns nothing; <c>Measure</c> returns an int, so its result is encoded.</summary>
    [Params("NoOp", "Measure")]
    public string Actor { get; set; } = "NoOp";

    [GlobalSetup]
    public void Setup()
    {
        var message = StreamEntries.Stamped(Actor == "NoOp"
            ? Tasks.BenchActors.NoOp.Message(42, StreamEntries.Payload)
            : Tasks.BenchActors.Measure.Message(42, StreamEntries.Payload));
        _entry = StreamEntries.AsReceived(message);
        _arguments = message.Arguments.ToArray();
        if (!Tasks.Registry.TryGetActor(Actor, out var actor))
        {
            throw new InvalidOperationException($"No actor '{Actor}'.");
        }

        _actor = actor;

        // Both paths must really run the actor and produce the same result bytes.
        Generated();
        var generated = _result.WrittenSpan.ToArray();
        Reflection();
        if (!_result.WrittenSpan.SequenceEqual(generated))
        {
            throw new InvalidOperationException("The generated and reflection paths disagree.");
        }
    }

    [Benchmark(Baseline = true, Description = "reflection: envelope + lookup + args + invoke + result")]
    public void Reflection()
    {
        var message = Decode();
        _result.ResetWrittenCount();
        _reflection.Dispatch(message.Actor, message.Arguments, _result);
    }

    [Benchmark(Description = "generated: envelope + lookup + args + invoke + result")]
    public void Generated()
    {
        var message = Decode();
        if (!Tasks.Registry.TryGetActor(message.Actor, out var actor))
        {
            throw new InvalidOperationException("Unknown actor.");
        }

        Invoke(actor, message.Arguments);
    }

    [Benchmark(Description = "reflection: lookup + args + invoke + result")]
    public void ReflectionArguments()
    {
        _result.ResetWrittenCount();
        _reflection.Dispatch(Actor, _arguments, _result);
    }

    [Benchmark(Description = "generated: lookup + args + invoke + result")]
    public void GeneratedArguments()
    {
        if (!Tasks.Registry.TryGetActor(Actor, out var actor))
        {
            throw new InvalidOperationException("Unknown actor.");
        }

        Invoke(actor, _arguments);
    }

    private TaskMessage Decode() =>
        EnvelopeCodec.TryDecode("default", _entry, int.MaxValue, out var message, out _, out _)
            ? message!
            : throw new InvalidOperationException("The entry does not decode.");

    private void Invoke(ActorDescriptor actor, ReadOnlyMemory<byte> arguments)
    {
        _result.ResetWrittenCount();
        var pending = actor.InvokeAsync(new ActorInvocation(arguments, null, _result, default));
        if (!pending.IsCompletedSuccessfully)
        {
            pending.AsTask().GetAwaiter().GetResult();
        }
    }
}
