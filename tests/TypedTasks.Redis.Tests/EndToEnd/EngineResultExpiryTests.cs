using System;
using System.Threading.Tasks;
using TypedTasks.Redis.Tests.Infrastructure;

namespace TypedTasks.Redis.Tests.EndToEnd;

/// <summary>Results stored by a worker expire after <see cref="WorkerOptions.ResultTimeToLive"/>.</summary>
public abstract class EngineResultExpiryTests(RedisTarget redis)
{
    [Fact]
    public async Task A_result_can_be_read_until_its_time_to_live_ends_and_is_gone_after()
    {
        await using var broker = redis.CreateBroker();
        var client = new TaskClient(broker);
        var timeToLive = TimeSpan.FromSeconds(3); // long enough that a stalled test machine still reads it before it ends
        await using var workers = await EngineWorkers.StartAsync(broker, 1, o => o.ResultTimeToLive = timeToLive);

        var handle = await Tasks.EndToEndActors.Add.SendAsync(client, 20, 22);

        Assert.Equal(42, await handle.GetResultAsync(TimeSpan.FromSeconds(20)));
        var ttl = await redis.Db.KeyTimeToLiveAsync(broker.Options.KeyPrefix + ":result:{" + handle.Id + "}");
        Assert.NotNull(ttl);
        Assert.InRange(ttl.Value, TimeSpan.FromMilliseconds(1), timeToLive);

        await Eventually.UntilAsync(async () => await handle.GetOutcomeAsync() is null, "the result expired", TimeSpan.FromSeconds(10));

        await Assert.ThrowsAsync<TimeoutException>(() => handle.GetResultAsync(TimeSpan.FromMilliseconds(300)));
    }
}

[Collection(StandaloneCollection.Name)]
public sealed class StandaloneEngineResultExpiryTests(StandaloneRedis redis) : EngineResultExpiryTests(redis);

[Collection(ClusterCollection.Name)]
public sealed class ClusterEngineResultExpiryTests(ClusterRedis redis) : EngineResultExpiryTests(redis);
