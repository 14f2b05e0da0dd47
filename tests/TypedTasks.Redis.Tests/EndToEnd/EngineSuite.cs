using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using StackExchange.Redis;
using TypedTasks.Redis.Internal;
using TypedTasks.Redis.Tests.Infrastructure;

namespace TypedTasks.Redis.Tests.EndToEnd;

/// <summary>
/// Generated stubs -> <see cref="RedisBroker"/> -> real <see cref="TaskWorker"/>s -> generated dispatch -> results,
/// run against both a single server and a 3-master Cluster (the derived classes).
/// </summary>
public abstract class EngineSuite(RedisTarget redis)
{
    protected static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    protected RedisTarget Redis => redis;

    [Fact]
    public async Task Typed_stubs_round_trip_primitive_and_user_defined_results()
    {
        await using var broker = redis.CreateBroker();
        var client = new TaskClient(broker);
        await using var workers = await EngineWorkers.StartAsync(broker, 1);

        var sum = await Tasks.EndToEndActors.Add.SendAsync(client, 40, 2);
        var summary = await Tasks.EndToEndActors.Summarize.SendAsync(client, "totals", [1, 2, 3, 4]);

        Assert.Equal(42, await sum.GetResultAsync(Wait));
        Assert.Equal(new Summary("TOTALS", 4, 10), await summary.GetResultAsync(Wait));
        Assert.Equal("e2e.add", sum.Actor);
        var attempt = Assert.Single(workers.Log.Of(sum.Id));
        Assert.Equal(1, attempt.Number);
        Assert.Null(attempt.Failure);
        await AssertQueueDrainedAsync(broker);
    }

    [Fact]
    public async Task A_failing_actor_surfaces_the_remote_error_to_the_caller_and_in_the_dead_letters()
    {
        await using var broker = redis.CreateBroker();
        var client = new TaskClient(broker);
        await using var workers = await EngineWorkers.StartAsync(broker, 1);

        var handle = await Tasks.EndToEndActors.Explode.SendAsync(client, "the ledger is locked");

        var failure = await Assert.ThrowsAsync<TaskFailedException>(() => handle.GetResultAsync(Wait));
        Assert.Equal(handle.Id, failure.TaskId);
        Assert.Equal("e2e.explode", failure.Actor);
        Assert.Equal(typeof(InvalidOperationException).FullName, failure.Error.Type);
        Assert.Equal("the ledger is locked", failure.Error.Message);
        Assert.Equal(DeadLetterReason.RetriesExhausted, failure.Error.Reason);
        Assert.Contains(nameof(EndToEndActors.Explode), failure.Error.StackTrace, StringComparison.Ordinal);

        var dead = Assert.Single(await broker.DeadLetters.ListAsync("e2e"));
        Assert.Equal(handle.Id, dead.Message?.Id);
        Assert.Equal(failure.Error.Type, dead.Error.Type);
        Assert.Equal(failure.Error.Message, dead.Error.Message);
        Assert.Single(workers.Log.Of(handle.Id));
        await AssertQueueDrainedAsync(broker);
    }

    [Fact]
    public async Task Three_workers_sharing_a_queue_run_every_task_exactly_once()
    {
        await using var broker = redis.CreateBroker();
        var client = new TaskClient(broker);
        var probe = Probe.Create();
        await using var workers = await EngineWorkers.StartAsync(broker, 3, o => o.Prefetch = 2);
        const int count = 150;

        var handles = await client.SendManyAsync([.. Enumerable.Range(0, count).Select(i => Tasks.EndToEndActors.Hold.Message(probe.Key, i, 10))]);
        foreach (var handle in handles)
        {
            var outcome = await broker.Results.WaitAsync(handle.Id, Wait);
            Assert.True(outcome is { Succeeded: true }, "no successful outcome for " + handle.Id);
        }

        await AssertQueueDrainedAsync(broker);
        var starts = workers.Log.StartsPerTask();
        Assert.Equal(handles.Select(h => h.Id).Order(), starts.Keys.Order());
        Assert.All(starts, pair => Assert.Equal(1, pair.Value));
        Assert.All(Enumerable.Range(0, count), item => Assert.Equal(1, probe.RunsOf(item)));
        var perWorker = workers.Log.Attempts.GroupBy(a => a.Worker).ToDictionary(g => g.Key, g => g.Count());
        Assert.True(perWorker.Count >= 2, "the work was not shared: " + string.Join(", ", perWorker));
    }

    [Fact]
    public async Task Delayed_sends_fire_exactly_once_with_four_workers_promoting()
    {
        await using var broker = redis.CreateBroker();
        var client = new TaskClient(broker);
        var probe = Probe.Create();
        await using var workers = await EngineWorkers.StartAsync(broker, 4);
        var delay = TimeSpan.FromSeconds(1);
        const int count = 20;

        var sentAt = DateTimeOffset.UtcNow;
        var handles = new List<TaskHandle<string>>();
        for (var i = 0; i < count; i++)
        {
            handles.Add(await Tasks.EndToEndActors.Record.SendAsync(client, probe.Key, i, new SendOptions { Delay = delay }));
        }

        var keys = new QueueKeys(broker.Options.KeyPrefix, "e2e");
        foreach (var handle in handles)
        {
            Assert.StartsWith(probe.Key + ":", await handle.GetResultAsync(Wait), StringComparison.Ordinal);
        }

        // Every promoter had a few more chances to promote (poll interval 250 ms) after the last result arrived.
        await Task.Delay(TimeSpan.FromMilliseconds(800));
        Assert.All(Enumerable.Range(0, count), item => Assert.Equal(1, probe.RunsOf(item)));
        Assert.All(workers.Log.StartsPerTask(), pair => Assert.Equal(1, pair.Value));
        Assert.All(workers.Log.Attempts, a => Assert.True(a.StartedAt >= sentAt + delay - TimeSpan.FromMilliseconds(20), $"ran {sentAt + delay - a.StartedAt} early"));
        Assert.Equal(0, await redis.Db.SortedSetLengthAsync(keys.Due));
        await AssertQueueDrainedAsync(broker);
    }

    /// <summary>Acks are batched, so the stream empties shortly after the last result; wait for it, then check nothing is pending.</summary>
    protected async Task AssertQueueDrainedAsync(RedisBroker broker, string queue = "e2e")
    {
        var keys = new QueueKeys(broker.Options.KeyPrefix, queue);
        await Eventually.UntilAsync(async () => await redis.Db.StreamLengthAsync(keys.Stream) == 0, $"the stream of '{queue}' was empty", Wait);
        Assert.Equal(0, (await redis.Db.StreamPendingAsync(keys.Stream, broker.Options.ConsumerGroup)).PendingMessageCount);
    }
}

[Collection(StandaloneCollection.Name)]
public sealed class StandaloneEngineTests(StandaloneRedis redis) : EngineSuite(redis);

[Collection(ClusterCollection.Name)]
public sealed class ClusterEngineTests(ClusterRedis redis) : EngineSuite(redis);
