using System;
using System.Threading.Tasks;
using TypedTasks.Redis.Tests.Infrastructure;

namespace TypedTasks.Redis.Tests.EndToEnd;

/// <summary>Time limits enforced by the engine through the actor's <see cref="System.Threading.CancellationToken"/>.</summary>
public abstract class EngineTimeLimitTests(RedisTarget redis)
{
    [Fact]
    public async Task An_actor_past_its_time_limit_on_its_last_attempt_is_dead_lettered_as_such()
    {
        await using var broker = redis.CreateBroker();
        var client = new TaskClient(broker);
        var probe = Probe.Create();
        await using var workers = await EngineWorkers.StartAsync(broker, 1, o =>
        {
            o.DefaultTimeLimit = TimeSpan.FromMilliseconds(200);
            o.DefaultMaxRetries = 1;
        });

        var handle = await Tasks.EndToEndActors.Hold.SendAsync(client, probe.Key, 0, 60_000);

        var failure = await Assert.ThrowsAsync<TaskFailedException>(() => handle.GetResultAsync(TimeSpan.FromSeconds(20)));
        Assert.Equal(DeadLetterReason.TimeLimitExceeded, failure.Error.Reason);
        Assert.Equal(2, probe.RunsOf(0));
        var dead = Assert.Single(await broker.DeadLetters.ListAsync("e2e"));
        Assert.Equal(2, dead.Message?.Attempt);
        Assert.Equal(DeadLetterReason.TimeLimitExceeded, dead.Error.Reason);
    }
}

[Collection(StandaloneCollection.Name)]
public sealed class StandaloneEngineTimeLimitTests(StandaloneRedis redis) : EngineTimeLimitTests(redis);

[Collection(ClusterCollection.Name)]
public sealed class ClusterEngineTimeLimitTests(ClusterRedis redis) : EngineTimeLimitTests(redis);
