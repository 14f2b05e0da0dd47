using System;
using System.Linq;
using System.Threading.Tasks;
using TypedTasks.Redis.Internal;
using TypedTasks.Redis.Tests.Infrastructure;

namespace TypedTasks.Redis.Tests.EndToEnd;

/// <summary>Stopping a worker on Redis hands back what it fetched and finishes what it runs.</summary>
public abstract class EngineShutdownTests(RedisTarget redis)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Stopping_hands_prefetched_tasks_to_another_worker_at_once_and_finishes_the_running_one()
    {
        // The production claim threshold (30 s): only a release can bring the prefetched tasks back within the test's waits.
        await using var broker = redis.CreateBroker(o => new RedisBrokerOptions { KeyPrefix = o.KeyPrefix, PollInterval = o.PollInterval });
        var client = new TaskClient(broker);
        var probe = Probe.Create(heldItem: 0);
        var log = new AttemptLog();
        await using var leaving = await EngineWorkers.StartAsync(broker, 1, o => { o.Concurrency = 1; o.Prefetch = 4; o.ShutdownTimeout = TimeSpan.FromSeconds(30); }, log, "leaving");
        var stream = new QueueKeys(broker.Options.KeyPrefix, "e2e").Stream;

        var running = await Tasks.EndToEndActors.Hold.SendAsync(client, probe.Key, 0, 0);
        await probe.HeldItemStarted.WaitAsync(Wait);
        var prefetched = await client.SendManyAsync([.. Enumerable.Range(1, 4).Select(i => Tasks.EndToEndActors.Hold.Message(probe.Key, i, 10))]);
        await WaitUntilAsync(async () => (await redis.Db.StreamPendingAsync(stream, broker.Options.ConsumerGroup)).PendingMessageCount == 5);

        var stopping = leaving[0].StopAsync();
        await using var staying = await EngineWorkers.StartAsync(broker, 1, log: log, name: "staying");

        await probe.WaitForDistinctRunsAsync(5, Wait);
        foreach (var handle in prefetched)
        {
            Assert.True((await broker.Results.WaitAsync(handle.Id, Wait))?.Succeeded, "no successful outcome for " + handle.Id);
            var attempt = Assert.Single(log.Of(handle.Id));
            Assert.Equal("staying0", attempt.Worker);
            Assert.Equal(2, attempt.DeliveryCount); // fetched by the leaving worker, released unstarted
        }

        Assert.False(stopping.IsCompleted, "the worker stopped while its actor was still running");
        probe.OpenGate();
        await stopping.WaitAsync(Wait);

        Assert.Equal(0, await running.GetResultAsync(Wait));
        Assert.Equal("leaving0", Assert.Single(log.Of(running.Id)).Worker);
        Assert.All(Enumerable.Range(0, 5), item => Assert.Equal(1, probe.RunsOf(item)));
        await WaitUntilAsync(async () => await redis.Db.StreamLengthAsync(stream) == 0);
        Assert.Equal(0, (await redis.Db.StreamPendingAsync(stream, broker.Options.ConsumerGroup)).PendingMessageCount);
    }

    [Fact]
    public async Task An_actor_cut_short_by_the_shutdown_timeout_is_handed_back_not_failed()
    {
        await using var broker = redis.CreateBroker(o => new RedisBrokerOptions { KeyPrefix = o.KeyPrefix, PollInterval = o.PollInterval });
        var client = new TaskClient(broker);
        var probe = Probe.Create(heldItem: 0);
        var log = new AttemptLog();
        await using var leaving = await EngineWorkers.StartAsync(broker, 1, o => { o.Concurrency = 1; o.ShutdownTimeout = TimeSpan.FromMilliseconds(300); }, log, "leaving");

        var handle = await Tasks.EndToEndActors.Hold.SendAsync(client, probe.Key, 0, 0);
        await probe.HeldItemStarted.WaitAsync(Wait);
        await leaving[0].StopAsync().WaitAsync(Wait);
        await using var staying = await EngineWorkers.StartAsync(broker, 1, log: log, name: "staying");

        Assert.Equal(0, await handle.GetResultAsync(Wait));
        var attempts = log.Of(handle.Id);
        Assert.Equal(["leaving0", "staying0"], attempts.Select(a => a.Worker));
        Assert.IsAssignableFrom<OperationCanceledException>(attempts[0].Failure);
        Assert.Equal(1, attempts[1].Number); // not a retry: the interrupted attempt did not count
        Assert.Equal(2, attempts[1].DeliveryCount);
        Assert.Empty(await broker.DeadLetters.ListAsync("e2e"));
    }

    private static Task WaitUntilAsync(Func<Task<bool>> condition) =>
        Eventually.UntilAsync(condition, "the condition was met", Wait);
}

[Collection(StandaloneCollection.Name)]
public sealed class StandaloneEngineShutdownTests(StandaloneRedis redis) : EngineShutdownTests(redis);

[Collection(ClusterCollection.Name)]
public sealed class ClusterEngineShutdownTests(ClusterRedis redis) : EngineShutdownTests(redis);
