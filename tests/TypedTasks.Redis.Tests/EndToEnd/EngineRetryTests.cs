using System;
using System.Linq;
using System.Threading.Tasks;
using TypedTasks.Redis.Tests.Infrastructure;

namespace TypedTasks.Redis.Tests.EndToEnd;

/// <summary>Retries scheduled by the engine through the Redis due-later set.</summary>
public abstract class EngineRetryTests(RedisTarget redis)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    // The due time is stored in whole milliseconds and compared with another clock reading: allow that much slack.
    private static readonly TimeSpan ClockSlack = TimeSpan.FromMilliseconds(15);

    [Fact]
    public async Task A_flaky_actor_is_retried_in_order_after_its_configured_backoffs_and_then_succeeds()
    {
        await using var broker = redis.CreateBroker();
        var client = new TaskClient(broker);
        var probe = Probe.Create();
        // Jitter pinned to 1: each backoff is exactly min(MaxBackoff, MinBackoff * 2^(attempt-1)) = 0.4 s, then 0.8 s.
        await using var workers = await EngineWorkers.StartAsync(broker, 2, o => o.Jitter = static () => 1.0);

        var headers = new System.Collections.Generic.Dictionary<string, string> { ["traceparent"] = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" };
        var handle = await Tasks.EndToEndActors.Flaky.SendAsync(client, probe.Key, 2, new SendOptions { Headers = headers });

        Assert.Equal(3, await handle.GetResultAsync(Wait));
        var attempts = workers.Log.Of(handle.Id);
        Assert.Equal([1, 2, 3], attempts.Select(a => a.Number));
        Assert.IsType<TimeoutException>(attempts[0].Failure);
        Assert.IsType<TimeoutException>(attempts[1].Failure);
        Assert.Null(attempts[2].Failure);
        Assert.Equal(3, probe.Calls);
        Assert.All(attempts, a => Assert.Equal(headers, a.Headers)); // trace context survives the due-later set
        AssertWaitedFor(TimeSpan.FromMilliseconds(400), attempts[0], attempts[1]);
        AssertWaitedFor(TimeSpan.FromMilliseconds(800), attempts[1], attempts[2]);
        Assert.Empty(await broker.DeadLetters.ListAsync("e2e"));
    }

    [Fact]
    public async Task A_requeued_dead_letter_runs_again_as_a_fresh_first_attempt()
    {
        await using var broker = redis.CreateBroker();
        var client = new TaskClient(broker);
        await using var workers = await EngineWorkers.StartAsync(broker, 1);
        var handle = await Tasks.EndToEndActors.Explode.SendAsync(client, "still locked");
        await Assert.ThrowsAsync<TaskFailedException>(() => handle.GetResultAsync(Wait));
        var first = Assert.Single(await broker.DeadLetters.ListAsync("e2e"));

        Assert.True(await broker.DeadLetters.RequeueAsync("e2e", first.Id));

        await Eventually.UntilAsync(
            async () => await broker.DeadLetters.ListAsync("e2e") is [{ } second] && second.Id != first.Id,
            "the requeued task was run and dead-lettered again",
            Wait);

        var attempts = workers.Log.Of(handle.Id);
        Assert.Equal([1, 1], attempts.Select(a => a.Number));
        Assert.All(attempts, a => Assert.Equal("still locked", a.Failure?.Message));
    }

    private static void AssertWaitedFor(TimeSpan backoff, AttemptLog.Attempt failed, AttemptLog.Attempt next)
    {
        var waited = next.StartedAt - failed.EndedAt;
        Assert.True(waited >= backoff - ClockSlack, $"attempt {next.Number} started {waited} after attempt {failed.Number} failed; the backoff is {backoff}");
        // Generous: only catches a retry that was lost or parked far beyond its due time.
        Assert.True(waited < backoff + TimeSpan.FromSeconds(5), $"attempt {next.Number} started {waited} after attempt {failed.Number} failed; the backoff is {backoff}");
    }
}

[Collection(StandaloneCollection.Name)]
public sealed class StandaloneEngineRetryTests(StandaloneRedis redis) : EngineRetryTests(redis);

[Collection(ClusterCollection.Name)]
public sealed class ClusterEngineRetryTests(ClusterRedis redis) : EngineRetryTests(redis);
