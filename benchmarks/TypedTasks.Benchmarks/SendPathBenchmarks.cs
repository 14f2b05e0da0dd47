using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using StackExchange.Redis;
using TypedTasks.Brokers;
using TypedTasks.Redis.Internal;

namespace TypedTasks.Benchmarks;

/// <summary>
/// The producer's CPU work per task, up to the values handed to StackExchange.Redis: the generated stub encodes the
/// arguments and builds the message, <see cref="TaskClient"/> stamps it, and the broker encodes the envelope and builds
/// the Send script's argument array. <see cref="EncodeOnlyBroker"/> does exactly what <c>RedisBroker.StartSend</c>
/// does for an immediate message, minus the <c>ScriptEvaluateAsync</c> call (the network round trip is the load
/// test's business).
/// </summary>
[MemoryDiagnoser]
public class SendPathBenchmarks
{
    private readonly EncodeOnlyBroker _broker = new();
    private TaskClient _client = null!;

    [GlobalSetup]
    public void Setup() => _client = new TaskClient(_broker);

    [Benchmark(Description = "Tasks.BenchActors.NoOp.Message(i, payload)")]
    public TaskRequest Message() => Tasks.BenchActors.NoOp.Message(42, StreamEntries.Payload);

    [Benchmark(Description = "Tasks.BenchActors.NoOp.SendAsync: message + client stamp + envelope + script args")]
    public TaskHandle Send()
    {
        var pending = Tasks.BenchActors.NoOp.SendAsync(_client, 42, StreamEntries.Payload);
        return pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
    }

    /// <summary>The broker side of the send path, without the network.</summary>
    private sealed class EncodeOnlyBroker : ITaskBroker
    {
        private readonly QueueKeys _keys = new Keyspace("tt", null).For("default");

        public RedisValue[] LastScriptArguments { get; private set; } = [];

        public ITaskResultStore Results => throw new NotSupportedException();

        public IDeadLetterStore DeadLetters => throw new NotSupportedException();


        public ITaskStatusStore Status => throw new NotSupportedException();

        public ValueTask<string?> SendAsync(TaskMessage message, CancellationToken cancellationToken = default)
        {
            var flat = EnvelopeCodec.ToFlat(message);
            if (EnvelopeCodec.SizeOf(flat) > 1024 * 1024)
            {
                throw new ArgumentException("Too large.", nameof(message));
            }

            flat.Insert(0, _keys.WakeChannelName);
            LastScriptArguments = [.. flat];
            return default;
        }

        public ValueTask<IReadOnlyList<string?>?> SendManyAsync(IReadOnlyList<TaskMessage> messages, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public ValueTask<ITaskConsumer> CreateConsumerAsync(ConsumerOptions options, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public ValueTask DisposeAsync() => default;
    }
}
