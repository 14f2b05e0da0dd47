using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using TypedTasks.Brokers;
using TypedTasks.Redis.Internal;
using TypedTasks.Redis.Tests.Infrastructure;

namespace TypedTasks.Redis.Tests;

/// <summary>
/// Redis going away mid-run: a single server, or the Cluster master owning the test's queue. Each test owns its
/// servers, because it restarts one.
/// </summary>
public abstract class RestartTests
{
    private static RedisBrokerOptions Options() => new()
    {
        ClaimIdleThreshold = TimeSpan.FromMilliseconds(1500),
        HeartbeatInterval = TimeSpan.FromMilliseconds(300),
        PollInterval = TimeSpan.FromMilliseconds(250),
    };

    [Fact]
    public async Task Every_message_is_delivered_when_Redis_restarts_mid_run_with_append_only_persistence()
    {
        await using var redis = await StartOwnAsync("--appendonly", "yes", "--appendfsync", "always");
        await using var broker = await RedisBroker.ConnectAsync(redis.ConnectionString, Options());
        var queue = TestMessages.Queue();
        var sent = Enumerable.Range(0, 600).Select(i => TestMessages.Create(queue, $$"""{"i":{{i}}}""")).ToList();
        var processed = new ConcurrentDictionary<string, int>();
        using var stop = new CancellationTokenSource();
        var consumers = await Task.WhenAll(Enumerable.Range(0, 2).Select(async _ => await broker.CreateConsumerAsync(TestMessages.For(queue))));
        var loops = consumers.Select(consumer => Task.Run(async () =>
        {
            var buffer = new TaskDelivery[16];
            try
            {
                while (true)
                {
                    var n = await consumer.ReceiveAsync(buffer, stop.Token);
                    for (var i = 0; i < n; i++)
                    {
                        await Task.Delay(1); // a little work, so deliveries are in flight when Redis goes down
                        processed.AddOrUpdate(buffer[i].Message.Id, 1, static (_, c) => c + 1);
                        try
                        {
                            await consumer.AckAsync(buffer[i]);
                        }
                        catch (StackExchange.Redis.RedisException)
                        {
                            // Unacknowledged: crash recovery delivers it again, which at-least-once allows.
                        }
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        })).ToArray();

        var producer = Task.Run(async () =>
        {
            foreach (var message in sent)
            {
                while (true)
                {
                    try
                    {
                        await broker.SendAsync(message);
                        break;
                    }
                    catch (StackExchange.Redis.RedisException)
                    {
                        await Task.Delay(50); // Redis is down: the producer retries, as a real client would.
                    }
                }

                await Task.Delay(2);
            }
        });

        await Task.Delay(500);
        await redis.RestartServerHoldingAsync(new QueueKeys(broker.Options.KeyPrefix, queue).Stream, TimeSpan.FromMilliseconds(500));
        await producer;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(45);
        while (processed.Count < sent.Count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        await stop.CancelAsync();
        await Task.WhenAll(loops);
        foreach (var consumer in consumers)
        {
            await consumer.DisposeAsync();
        }

        var missing = sent.Select(m => m.Id).Where(id => !processed.ContainsKey(id)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} of {sent.Count} messages were never delivered");
    }

    [Fact]
    public async Task A_consumer_recreates_its_group_after_Redis_lost_all_data()
    {
        await using var redis = await StartOwnAsync();
        await using var broker = await RedisBroker.ConnectAsync(redis.ConnectionString, Options());
        var queue = TestMessages.Queue();
        await using var consumer = await broker.CreateConsumerAsync(TestMessages.For(queue));
        await broker.SendAsync(TestMessages.Create(queue));
        var before = await consumer.ReceiveOneAsync(TimeSpan.FromSeconds(10));
        Assert.NotNull(before);
        await consumer.AckAsync(before);

        // No persistence: stream and group are gone (a Cluster node still knows its slots from nodes.conf).
        await redis.RestartServerHoldingAsync(new QueueKeys(broker.Options.KeyPrefix, queue).Stream, TimeSpan.FromMilliseconds(200));
        var after = TestMessages.Create(queue);
        var receiving = consumer.ReceiveOneAsync(TimeSpan.FromSeconds(15));
        await Task.Delay(300);
        await broker.SendAsync(after);

        var delivery = await receiving;
        Assert.NotNull(delivery);
        Assert.Equal(after.Id, delivery.Message.Id);
        await consumer.AckAsync(delivery);
    }

    /// <summary>Starts servers of the test's own; the arguments are given to every server.</summary>
    protected abstract Task<RedisTarget> StartOwnAsync(params string[] serverArguments);
}

public sealed class StandaloneRestartTests : RestartTests
{
    protected override async Task<RedisTarget> StartOwnAsync(params string[] serverArguments) => await StandaloneRedis.StartOwnAsync(serverArguments);
}

public sealed class ClusterRestartTests : RestartTests
{
    protected override async Task<RedisTarget> StartOwnAsync(params string[] serverArguments) => await ClusterRedis.StartOwnAsync(serverArguments);
}
