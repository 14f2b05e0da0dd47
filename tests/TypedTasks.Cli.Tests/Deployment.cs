using System;
using System.Collections.Generic;
using System.Text;
using System.Threading.Tasks;
using TypedTasks.Brokers;
using TypedTasks.Redis;

namespace TypedTasks.Cli.Tests;

/// <summary>
/// One test's own TypedTasks deployment on a shared Redis: a key prefix nobody else uses, a broker to put known state
/// in (tasks, in-flight deliveries, dead letters), and the tool's arguments pointing at it.
/// </summary>
public sealed class Deployment : IAsyncDisposable
{
    private readonly RedisTarget _redis;
    private readonly List<ITaskConsumer> _consumers = [];

    public Deployment(RedisTarget redis)
    {
        _redis = redis;
        Broker = redis.CreateBroker();
    }

    public RedisBroker Broker { get; }

    public string Prefix => Broker.Options.KeyPrefix;

    /// <summary>The tool's arguments with <c>--redis</c> and <c>--prefix</c> for this deployment appended.</summary>
    public string[] Args(params string[] arguments) => [.. arguments, "--redis", _redis.ConnectionString, "--prefix", Prefix];

    public Task<CliRun> RunAsync(params string[] arguments) => CliProcess.RunAsync(Args(arguments));

    public async Task<TaskMessage> SendAsync(string queue, string actor = "test.actor", TimeSpan? delay = null, string argumentsJson = """{"n":1}""")
    {
        var message = TestMessages.Create(queue, argumentsJson, delay is { } d ? DateTimeOffset.UtcNow + d : null, actor);
        await Broker.SendAsync(message);
        return message;
    }

    /// <summary>A consumer (a live worker in <c>typedtasks workers</c>) that stays open until the test ends.</summary>
    public async Task<ITaskConsumer> ConsumerAsync(string name, params string[] queues)
    {
        var consumer = await Broker.CreateConsumerAsync(new ConsumerOptions { Queues = queues, ConsumerName = name, BatchSize = 1 });
        _consumers.Add(consumer);
        return consumer;
    }

    /// <summary>Sends a task to <paramref name="queue"/>, takes it with a consumer and dead-letters it, as a worker does
    /// when an actor fails for good; returns the task's message.</summary>
    public async Task<TaskMessage> DeadLetterAsync(string queue, string actor, DeadLetterReason reason, string error)
    {
        var message = await SendAsync(queue, actor, argumentsJson: """{"order":42}""");
        var consumer = await Broker.CreateConsumerAsync(new ConsumerOptions { Queues = [queue], BatchSize = 1 });
        await using (consumer)
        {
            var delivery = await consumer.ReceiveOneAsync(TimeSpan.FromSeconds(15)) ?? throw new InvalidOperationException("nothing to dead-letter");
            Assert.Equal(message.Id, delivery.Message.Id);
            await consumer.DeadLetterAsync(delivery, new TaskError(reason, "Orders.PaymentDeclinedException", error, "Orders.PaymentDeclinedException: " + error + "\n   at Orders.Pay()"));
        }

        return message;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var consumer in _consumers)
        {
            await consumer.DisposeAsync();
        }

        await Broker.DisposeAsync();
    }

    public static string Utf8(ReadOnlyMemory<byte> bytes) => Encoding.UTF8.GetString(bytes.Span);
}
