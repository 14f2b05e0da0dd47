using System;
using System.Linq;
using System.Threading.Tasks;
using StackExchange.Redis;
using TypedTasks.Brokers;
using TypedTasks.Redis.Internal;
using TypedTasks.Redis.Tests.Infrastructure;

namespace TypedTasks.Redis.Tests;

/// <summary>
/// What only the Redis monitor has: the queue registry, the worker registry and records, and a queue known by its
/// keys alone, on a single server and on a three-master Cluster. Shared behaviour is <see cref="MonitorContract"/>'s.
/// </summary>
public abstract class RedisMonitorLayoutTests(RedisTarget target)
{
    private IDatabase Db => target.Db;

    [Fact]
    public async Task A_consumer_writes_its_record_and_registry_entries_and_removes_them_when_it_stops()
    {
        await using var broker = target.CreateBroker();
        var prefix = broker.Options.KeyPrefix;
        var queues = new[] { TestMessages.Queue(), TestMessages.Queue() };
        var name = "rec-" + TestMessages.Queue();
        var consumer = await broker.CreateConsumerAsync(new ConsumerOptions { Queues = queues, ConsumerName = name, RunningCount = () => 7 });
        RedisKey record = prefix + ":worker:{" + name + "}";

        var fields = (await Db.HashGetAllAsync(record)).ToDictionary(f => f.Name.ToString(), f => f.Value.ToString());
        Assert.Equal(Environment.MachineName, fields["host"]);
        Assert.Equal(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), fields["pid"]);
        Assert.Equal(string.Join(',', queues), fields["queues"]);
        Assert.Equal("7", fields["running"]);
        Assert.True(long.Parse(fields["beat"], System.Globalization.CultureInfo.InvariantCulture) >= long.Parse(fields["started"], System.Globalization.CultureInfo.InvariantCulture));
        var ttl = await Db.KeyTimeToLiveAsync(record);
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromMilliseconds(1), broker.Options.ClaimIdleThreshold);
        Assert.NotNull(await Db.SortedSetScoreAsync(prefix + ":workers", name));
        Assert.Equal(queues.Order(StringComparer.Ordinal), (await Db.SetMembersAsync(prefix + ":queues")).Select(v => v.ToString()).Order(StringComparer.Ordinal));

        await consumer.DisposeAsync();

        Assert.False(await Db.KeyExistsAsync(record));
        Assert.Null(await Db.SortedSetScoreAsync(prefix + ":workers", name));
    }

    [Fact]
    public async Task A_queue_written_only_by_a_foreign_producer_is_shown_by_name_but_listed_once_a_consumer_registers_it()
    {
        await using var broker = target.CreateBroker();
        var queue = TestMessages.Queue();
        var keys = new QueueKeys(broker.Options.KeyPrefix, queue);
        await Db.StreamAddAsync(keys.Stream, [new("id", TaskId.NewId()), new("actor", "x.y"), new("args", "{}"), new("attempt", 1), new("enq", 1)]);

        Assert.Equal(1, (await broker.Monitor.GetQueueAsync(queue))?.Waiting);
        Assert.DoesNotContain(queue, await broker.Monitor.GetQueueNamesAsync());

        await using var consumer = await broker.CreateConsumerAsync(TestMessages.For(queue));
        Assert.Contains(queue, await broker.Monitor.GetQueueNamesAsync());
    }

    [Fact]
    public async Task An_expired_worker_record_hides_the_worker_even_while_its_registry_entry_is_fresh()
    {
        await using var broker = target.CreateBroker();
        var name = "gone-" + TestMessages.Queue();
        await using var consumer = await broker.CreateConsumerAsync(TestMessages.Named(name, TestMessages.Queue()));
        Assert.Contains(await broker.Monitor.GetWorkersAsync(), w => w.Name == name);

        // What a crash leaves between a record's expiry and the registry's trimming: an entry without a record.
        await Db.KeyDeleteAsync(broker.Options.KeyPrefix + ":worker:{" + name + "}");

        Assert.DoesNotContain(await broker.Monitor.GetWorkersAsync(), w => w.Name == name);
    }
}

[Collection(StandaloneCollection.Name)]
public sealed class StandaloneMonitorLayoutTests(StandaloneRedis redis) : RedisMonitorLayoutTests(redis);

[Collection(ClusterCollection.Name)]
public sealed class ClusterMonitorLayoutTests(ClusterRedis redis) : RedisMonitorLayoutTests(redis);

/// <summary>Monitoring costs nothing per message: a queue is added to the registry on its first send only. Counted
/// with <c>INFO commandstats</c> on a server of the test's own, so no other test's commands are counted.</summary>
public sealed class RedisQueueRegistryCostTests
{
    [Fact]
    public async Task Only_the_first_send_of_a_queue_adds_it_to_the_registry()
    {
        await using var redis = await StandaloneRedis.StartOwnAsync();
        await using var broker = redis.CreateBroker();
        var queue = TestMessages.Queue();
        await broker.SendAsync(TestMessages.Create(queue));
        Assert.Equal(1, await SaddCallsAsync(redis));

        for (var i = 0; i < 20; i++)
        {
            await broker.SendAsync(TestMessages.Create(queue));
        }

        await broker.SendManyAsync(Enumerable.Range(0, 50).Select(_ => TestMessages.Create(queue)).ToList());
        await broker.SendManyAsync([TestMessages.Create(queue, dueAt: DateTimeOffset.UtcNow.AddHours(1))]);

        Assert.Equal(1, await SaddCallsAsync(redis));
        Assert.Equal([queue], (await broker.Monitor.GetQueueNamesAsync()).ToArray());
    }

    private static async Task<long> SaddCallsAsync(StandaloneRedis redis)
    {
        var stats = (string)(await redis.Db.ExecuteAsync("INFO", "commandstats"))!;
        var line = stats.Split('\n').FirstOrDefault(l => l.StartsWith("cmdstat_sadd:", StringComparison.Ordinal));
        if (line is null)
        {
            return 0;
        }

        var calls = line.Split(':')[1].Split(',')[0]; // calls=N
        return long.Parse(calls["calls=".Length..], System.Globalization.CultureInfo.InvariantCulture);
    }
}
