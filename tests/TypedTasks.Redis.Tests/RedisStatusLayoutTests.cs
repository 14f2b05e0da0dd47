using System;
using System.Threading.Tasks;
using StackExchange.Redis;
using TypedTasks.Generated;
using TypedTasks.Redis.Tests.Infrastructure;

namespace TypedTasks.Redis.Tests;

/// <summary>
/// Where status lives on Redis and what it costs: untracked tasks never touch <c>P:status:{ID}</c>; a tracked task's
/// record expires with its outcome. The behaviour every store shares is <see cref="StatusContract"/>'s.
/// </summary>
public abstract class RedisStatusLayoutTests(RedisTarget target)
{
    private static readonly byte[] NoArguments = "{}"u8.ToArray();

    [Fact]
    public async Task Only_a_tracked_task_writes_a_status_key_and_it_expires_like_the_outcome()
    {
        await using var broker = target.CreateBroker();
        var queue = TestMessages.Queue();
        var actor = new ScriptedActor("layout.status", queue, new ActorOptions { StoreResults = true }, static _ => Task.CompletedTask);
        var client = new TaskClient(broker);
        var resultTtl = TimeSpan.FromMinutes(10);
        await using var worker = new TaskWorker(broker, new ActorRegistry([actor]), new WorkerOptions { Queues = [queue], Concurrency = 2, ResultTimeToLive = resultTtl });
        await worker.StartAsync();

        var untracked = await client.SendAsync(new TaskRequest(actor.Name, queue, NoArguments));
        var tracked = await client.SendAsync(new TaskRequest(actor.Name, queue, NoArguments) { TrackStatus = true });
        await untracked.WaitAsync(TimeSpan.FromSeconds(10));
        await tracked.WaitAsync(TimeSpan.FromSeconds(10));
        await Eventually.UntilAsync(async () => (await tracked.GetStatusAsync()).CompletedAt is not null, "the tracked task's record is finished");
        await worker.StopAsync();

        var prefix = broker.Options.KeyPrefix;
        Assert.False(await target.Db.KeyExistsAsync($"{prefix}:status:{{{untracked.Id}}}"));
        var ttl = await target.Db.KeyTimeToLiveAsync($"{prefix}:status:{{{tracked.Id}}}");
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, resultTtl - TimeSpan.FromMinutes(1), resultTtl);
        Assert.Equal(TaskState.Succeeded, (await untracked.GetStatusAsync()).State);
        Assert.Equal(1, (await tracked.GetStatusAsync()).Attempt);
    }
}

[Collection(StandaloneCollection.Name)]
public sealed class StandaloneStatusLayoutTests(StandaloneRedis redis) : RedisStatusLayoutTests(redis);

[Collection(ClusterCollection.Name)]
public sealed class ClusterStatusLayoutTests(ClusterRedis redis) : RedisStatusLayoutTests(redis);
