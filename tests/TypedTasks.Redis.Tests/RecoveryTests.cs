using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using StackExchange.Redis;
using TypedTasks.Brokers;
using TypedTasks.Redis.Internal;
using TypedTasks.Redis.Tests.Infrastructure;

namespace TypedTasks.Redis.Tests;

/// <summary>Crash recovery, claim keeping, release and sharing a queue. Test timings: claim threshold 1.5 s, heartbeat 0.3 s.</summary>
public abstract class RecoveryTests(RedisTarget redis)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Many_consumers_share_a_queue_without_double_delivery()
    {
        await using var broker = redis.CreateBroker();
        var queue = TestMessages.Queue();
        var sent = Enumerable.Range(0, 4000).Select(i => TestMessages.Create(queue, $$"""{"i":{{i}}}""")).ToList();
        var seen = new ConcurrentDictionary<string, int>();
        var consumers = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ => await broker.CreateConsumerAsync(TestMessages.For(queue))));
        using var stop = new CancellationTokenSource();
        var perConsumer = new int[consumers.Length];
        var loops = consumers.Select((consumer, index) => Task.Run(async () =>
        {
            var buffer = new TaskDelivery[32];
            try
            {
                while (true)
                {
                    var n = await consumer.ReceiveAsync(buffer, stop.Token);
                    var acks = new Task[n];
                    for (var i = 0; i < n; i++)
                    {
                        seen.AddOrUpdate(buffer[i].Message.Id, 1, static (_, c) => c + 1);
                        acks[i] = consumer.AckAsync(buffer[i]).AsTask();
                    }

                    Interlocked.Add(ref perConsumer[index], n);
                    await Task.WhenAll(acks);
                    if (seen.Count == sent.Count)
                    {
                        await stop.CancelAsync();
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        })).ToArray();

        foreach (var chunk in sent.Chunk(500))
        {
            await broker.SendManyAsync(chunk);
        }

        var finished = Task.WhenAll(loops);
        await Task.WhenAny(finished, Task.Delay(TimeSpan.FromSeconds(60)));
        await stop.CancelAsync();
        await finished;

        Assert.Equal(sent.Count, seen.Count);
        Assert.All(seen, pair => Assert.Equal(1, pair.Value));
        Assert.True(perConsumer.Count(c => c > 0) >= 2, "the work was not shared: " + string.Join(",", perConsumer));
        Assert.Equal(0, await redis.Db.StreamLengthAsync(new QueueKeys(broker.Options.KeyPrefix, queue).Stream));
        foreach (var consumer in consumers)
        {
            await consumer.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_delivery_of_an_abandoned_consumer_is_recovered_by_another_and_the_dead_consumer_is_reaped()
    {
        await using var broker = redis.CreateBroker();
        var queue = TestMessages.Queue();
        var keys = new QueueKeys(broker.Options.KeyPrefix, queue);
        var group = broker.Options.ConsumerGroup;
        var abandoned = await broker.CreateConsumerAsync(TestMessages.Named("abandoned", queue));
        await broker.SendAsync(TestMessages.Create(queue));
        var taken = await abandoned.ReceiveOneAsync(Wait);
        Assert.NotNull(taken);
        // Its heartbeats stop, and since a delivery is pending it stays in the group: a crashed worker, as far as Redis knows.
        await abandoned.DisposeAsync();
        // Measured from the last moment the claim could have been refreshed, not from the rescuer's start, which a
        // loaded machine may delay by more than the slack below.
        var started = Stopwatch.StartNew();
        Assert.Contains(await redis.Db.StreamConsumerInfoAsync(keys.Stream, group), c => c.Name == "abandoned");

        await using var rescuer = await broker.CreateConsumerAsync(TestMessages.Named("rescuer", queue));
        var recovered = await rescuer.ReceiveOneAsync(Wait);

        Assert.NotNull(recovered);
        Assert.Equal(taken.Message.Id, recovered.Message.Id);
        Assert.Equal(taken.DeliveryId, recovered.DeliveryId);
        Assert.Equal(2, recovered.DeliveryCount);
        Assert.True(started.Elapsed >= TimeSpan.FromMilliseconds(1000), "recovered before the idle threshold");
        await rescuer.AckAsync(recovered);

        // The next recovery round finds nothing pending for the dead consumer and removes it from the group.
        await rescuer.ReceiveOneAsync(TimeSpan.FromMilliseconds(900));
        Assert.DoesNotContain(await redis.Db.StreamConsumerInfoAsync(keys.Stream, group), c => c.Name == "abandoned");
        Assert.Null(await redis.Db.SortedSetScoreAsync(keys.Consumers, "abandoned"));
        Assert.NotNull(await redis.Db.SortedSetScoreAsync(keys.Consumers, "rescuer"));
    }

    [Fact]
    public async Task A_live_consumer_keeps_a_task_longer_than_the_threshold()
    {
        // Eight heartbeats per threshold, so a stalled test machine does not pass for a dead consumer.
        await using var broker = redis.CreateBroker(o => new RedisBrokerOptions
        {
            KeyPrefix = o.KeyPrefix, PollInterval = o.PollInterval,
            ClaimIdleThreshold = TimeSpan.FromSeconds(2), HeartbeatInterval = TimeSpan.FromMilliseconds(250),
        });
        var queue = TestMessages.Queue();
        await using var holder = await broker.CreateConsumerAsync(TestMessages.For(queue));
        await using var other = await broker.CreateConsumerAsync(TestMessages.For(queue));
        await broker.SendAsync(TestMessages.Create(queue));
        var held = await holder.ReceiveOneAsync(Wait);
        Assert.NotNull(held);

        // Over two thresholds long, the other consumer recovering all the while: the heartbeat keeps the claim fresh.
        var stolen = await other.ReceiveOneAsync(TimeSpan.FromMilliseconds(4500));

        Assert.Null(stolen);
        await holder.AckAsync(held);
        var keys = new QueueKeys(broker.Options.KeyPrefix, queue);
        Assert.Equal(0, await redis.Db.StreamLengthAsync(keys.Stream));
    }

    [Fact]
    public async Task Released_deliveries_are_available_at_once_not_after_the_threshold()
    {
        // Default 30 s threshold: only a release can make the messages come back within the test's few seconds.
        await using var broker = redis.CreateBroker(o => new RedisBrokerOptions { KeyPrefix = o.KeyPrefix });
        var queue = TestMessages.Queue();
        var keys = new QueueKeys(broker.Options.KeyPrefix, queue);
        await using var leaving = await broker.CreateConsumerAsync(TestMessages.For(queue));
        await using var staying = await broker.CreateConsumerAsync(TestMessages.For(queue));
        var sent = Enumerable.Range(0, 3).Select(_ => TestMessages.Create(queue)).ToList();
        await broker.SendManyAsync(sent);
        var taken = await leaving.ReceiveManyAsync(3, Wait);
        Assert.Equal(3, taken.Count);

        foreach (var delivery in taken)
        {
            await leaving.ReleaseAsync(delivery);
        }

        var back = await staying.ReceiveManyAsync(3, TimeSpan.FromSeconds(3));
        Assert.Equal(sent.Select(m => m.Id).Order(), back.Select(d => d.Message.Id).Order());
        Assert.All(back, d => Assert.Equal(2, d.DeliveryCount));
        Assert.All(back, d => Assert.Equal(1, d.Message.Attempt));
        Assert.Equal(3, await redis.Db.StreamLengthAsync(keys.Stream));
        Assert.Equal(3, (await redis.Db.StreamPendingAsync(keys.Stream, broker.Options.ConsumerGroup)).PendingMessageCount);

        // Releasing twice is harmless: the second call finds nothing pending and adds nothing.
        await leaving.ReleaseAsync(taken[0]);
        Assert.Equal(3, await redis.Db.StreamLengthAsync(keys.Stream));
    }

    [Fact]
    public async Task A_worker_process_killed_with_SIGKILL_mid_task_loses_nothing()
    {
        await using var broker = redis.CreateBroker();
        var queue = TestMessages.Queue();
        var sent = TestMessages.Create(queue);
        await broker.SendAsync(sent);

        using (var worker = TestWorkerProcess.Start("consumer", redis.ConnectionString, broker.Options.KeyPrefix, queue, "1500", "300", "60000"))
        {
            var claimed = await worker.ReadLineStartingWithAsync("CLAIMED ", TimeSpan.FromSeconds(30));
            Assert.Equal("CLAIMED " + sent.Id, claimed);
            worker.Kill(); // SIGKILL on Unix: no finally blocks, no release, no goodbye.
            await worker.WaitForExitAsync();
        }

        await using var survivor = await broker.CreateConsumerAsync(TestMessages.For(queue));
        var recovered = await survivor.ReceiveOneAsync(Wait);

        Assert.NotNull(recovered);
        Assert.Equal(sent.Id, recovered.Message.Id);
        Assert.Equal(2, recovered.DeliveryCount);
        await survivor.AckAsync(recovered);
        Assert.Equal(0, await redis.Db.StreamLengthAsync(new QueueKeys(broker.Options.KeyPrefix, queue).Stream));
    }
}

[Collection(StandaloneCollection.Name)]
public sealed class StandaloneRecoveryTests(StandaloneRedis redis) : RecoveryTests(redis);

[Collection(ClusterCollection.Name)]
public sealed class ClusterRecoveryTests(ClusterRedis redis) : RecoveryTests(redis);
