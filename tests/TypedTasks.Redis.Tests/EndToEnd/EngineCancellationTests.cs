using System;
using System.Linq;
using System.Threading.Tasks;
using StackExchange.Redis;
using TypedTasks.Redis.Internal;
using TypedTasks.Redis.Tests.Infrastructure;

namespace TypedTasks.Redis.Tests.EndToEnd;

/// <summary>
/// Cancellation and unique sends through generated stubs and real <see cref="TaskWorker"/>s, one suite run on the
/// in-memory broker, a single Redis and a Cluster: a queued, scheduled, retrying or running task that is cancelled does
/// not run (again), its waiters see the cancellation, and its unique key is freed.
/// </summary>
public abstract class EngineCancellationTests
{
    protected static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    protected abstract ITaskBroker CreateBroker();

    /// <summary>Nothing of queue "e2e" is ready, scheduled or in flight any more.</summary>
    protected abstract Task AssertDrainedAsync(ITaskBroker broker);

    [Fact]
    public async Task A_task_cancelled_while_queued_never_runs_and_its_unique_key_is_freed()
    {
        await using var broker = CreateBroker();
        var client = new TaskClient(broker);
        var probe = Probe.Create();
        var unique = new SendOptions { UniqueKey = "queued" };

        var cancelled = await Tasks.EndToEndActors.Record.SendAsync(client, probe.Key, 1, unique);
        Assert.Equal(CancelResult.Cancelled, await cancelled.CancelAsync());
        var failure = await Assert.ThrowsAsync<TaskFailedException>(() => cancelled.GetResultAsync(Wait));
        Assert.True(failure.IsCancelled);
        Assert.Equal(DeadLetterReason.Cancelled, failure.Error.Reason);
        Assert.True((await Tasks.EndToEndActors.Record.SendAsync(client, probe.Key, 9, unique)).IsDuplicate);

        // The worker starts after the cancellation: it learns it when it starts.
        await using var workers = await EngineWorkers.StartAsync(broker, 1);
        TaskHandle<string>? next = null;
        await Eventually.UntilAsync(
            async () => (next = await Tasks.EndToEndActors.Record.SendAsync(client, probe.Key, 2, unique)) is { IsDuplicate: false },
            "the worker dropped the cancelled task and freed its unique key",
            Wait);

        Assert.Equal(probe.Key + ":2", await next!.GetResultAsync(Wait));
        Assert.Equal(0, probe.RunsOf(1));
        Assert.Empty(workers.Log.Of(cancelled.Id));
        await AssertDrainedAsync(broker);
    }

    [Fact]
    public async Task A_scheduled_task_and_a_pending_retry_that_are_cancelled_never_run()
    {
        await using var broker = CreateBroker();
        var client = new TaskClient(broker);
        var probe = Probe.Create();
        var flakyProbe = Probe.Create();
        await using var workers = await EngineWorkers.StartAsync(broker, 1);

        var scheduled = await Tasks.EndToEndActors.Record.SendAsync(client, probe.Key, 1, new SendOptions { Delay = TimeSpan.FromMilliseconds(900) });
        var flaky = await Tasks.EndToEndActors.Flaky.SendAsync(client, flakyProbe.Key, 1);
        await Eventually.UntilAsync(() => flakyProbe.Calls == 1, "the flaky task failed once and waits for its retry", Wait);

        Assert.Equal(CancelResult.Cancelled, await scheduled.CancelAsync());
        Assert.Equal(CancelResult.Cancelled, await client.CancelAsync(flaky.Id));

        Assert.True((await Assert.ThrowsAsync<TaskFailedException>(() => scheduled.GetResultAsync(Wait))).IsCancelled);
        Assert.True((await Assert.ThrowsAsync<TaskFailedException>(() => flaky.WaitAsync(Wait))).IsCancelled);
        await Task.Delay(TimeSpan.FromSeconds(1)); // past the due time and the retry's backoff (0.4 s)
        await AssertDrainedAsync(broker);
        Assert.Equal(0, probe.RunsOf(1));
        Assert.Equal(1, flakyProbe.Calls);
    }

    [Fact]
    public async Task A_running_task_sees_its_token_fire_is_not_retried_and_frees_its_unique_key()
    {
        await using var broker = CreateBroker();
        var client = new TaskClient(broker);
        var probe = Probe.Create();
        await using var workers = await EngineWorkers.StartAsync(broker, 1);

        var running = await Tasks.EndToEndActors.Cancellable.SendAsync(client, probe.Key, 600_000, new SendOptions { UniqueKey = "running" });
        await probe.WaitForDistinctRunsAsync(1, Wait);
        Assert.Equal(CancelResult.Cancelled, await running.CancelAsync());

        await Eventually.UntilAsync(() => probe.TokensObserved == 1, "the actor saw its token fire", Wait);
        Assert.True((await Assert.ThrowsAsync<TaskFailedException>(() => running.GetResultAsync(Wait))).IsCancelled);
        TaskHandle<string>? next = null;
        await Eventually.UntilAsync(
            async () => (next = await Tasks.EndToEndActors.Record.SendAsync(client, probe.Key, 5, new SendOptions { UniqueKey = "running" })) is { IsDuplicate: false },
            "the cancelled task's unique key was freed",
            Wait);
        Assert.Equal(probe.Key + ":5", await next!.GetResultAsync(Wait));

        await AssertDrainedAsync(broker);
        Assert.Equal(1, probe.RunsOf(0));
        Assert.Single(workers.Log.Of(running.Id));
        Assert.Empty(await broker.DeadLetters.ListAsync("e2e"));
        Assert.Equal(DeadLetterReason.Cancelled, (await running.GetOutcomeAsync())?.Error?.Reason);
    }

    [Fact]
    public async Task Cancelling_a_finished_task_is_a_no_op_that_says_so()
    {
        await using var broker = CreateBroker();
        var client = new TaskClient(broker);
        await using var workers = await EngineWorkers.StartAsync(broker, 1);

        var sum = await Tasks.EndToEndActors.Add.SendAsync(client, 40, 2);
        Assert.Equal(42, await sum.GetResultAsync(Wait));

        Assert.Equal(CancelResult.AlreadyFinished, await sum.CancelAsync());
        Assert.Equal(42, await sum.GetResultAsync(Wait));
        Assert.Equal(CancelResult.Cancelled, await client.CancelAsync(TaskId.NewId()));
    }

    [Fact]
    public async Task Unique_sends_by_arguments_run_once_per_distinct_arguments()
    {
        await using var broker = CreateBroker();
        var client = new TaskClient(broker);
        var probe = Probe.Create();
        var byArguments = new SendOptions { UniqueByArguments = true };

        var handles = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Tasks.EndToEndActors.Record.SendAsync(client, probe.Key, i % 3, byArguments).AsTask()));
        var holders = handles.Where(h => !h.IsDuplicate).ToList();
        Assert.Equal(3, holders.Count);
        Assert.All(handles.Where(h => h.IsDuplicate), h => Assert.Contains(h.Id, holders.Select(k => k.Id)));
        var batch = await client.SendManyAsync([Tasks.EndToEndActors.Record.Message(probe.Key, 0, byArguments), Tasks.EndToEndActors.Record.Message(probe.Key, 7, byArguments)]);
        Assert.True(batch[0].IsDuplicate);
        Assert.False(batch[1].IsDuplicate);

        await using var workers = await EngineWorkers.StartAsync(broker, 2);
        await probe.WaitForDistinctRunsAsync(4, Wait);
        foreach (var handle in handles)
        {
            _ = await handle.GetResultAsync(Wait);
        }

        await AssertDrainedAsync(broker);
        Assert.All([0, 1, 2, 7], item => Assert.Equal(1, probe.RunsOf(item)));
    }
}

public sealed class InMemoryEngineCancellationTests : EngineCancellationTests
{
    protected override ITaskBroker CreateBroker() => new InMemoryBroker();

    protected override async Task AssertDrainedAsync(ITaskBroker broker)
    {
        var memory = (InMemoryBroker)broker;
        await Eventually.UntilAsync(
            () => memory.GetQueueLength("e2e") == 0 && memory.GetInFlightCount() == 0 && memory.GetScheduledCount() == 0,
            "queue e2e held nothing",
            Wait);
    }
}

public abstract class RedisEngineCancellationTests(RedisTarget redis) : EngineCancellationTests
{
    protected override ITaskBroker CreateBroker() => redis.CreateBroker();

    protected override async Task AssertDrainedAsync(ITaskBroker broker)
    {
        var options = ((RedisBroker)broker).Options;
        var keys = new QueueKeys(options.KeyPrefix, "e2e");
        await Eventually.UntilAsync(
            async () => await redis.Db.StreamLengthAsync(keys.Stream) == 0 && await redis.Db.SortedSetLengthAsync(keys.Due) == 0,
            "queue e2e held nothing",
            Wait);
        Assert.Equal(0, (await redis.Db.StreamPendingAsync(keys.Stream, options.ConsumerGroup)).PendingMessageCount);
    }

    [Fact]
    public async Task A_task_running_in_another_process_is_cancelled_there_and_not_retried()
    {
        await using var broker = redis.CreateBroker();
        var client = new TaskClient(broker);
        var probe = "p" + Guid.NewGuid().ToString("N")[..12];
        using var process = TestWorkerProcess.Start("worker", redis.ConnectionString, broker.Options.KeyPrefix, "1500", "300");
        try
        {
            await process.ReadLineStartingWithAsync("READY", Wait);
            var running = await Tasks.EndToEndActors.Cancellable.SendAsync(client, probe, 600_000);
            Assert.Equal("STARTED " + probe, await process.ReadLineStartingWithAsync("STARTED ", Wait));

            Assert.Equal(CancelResult.Cancelled, await running.CancelAsync());

            Assert.Equal("CANCELLED " + probe, await process.ReadLineStartingWithAsync("CANCELLED ", Wait));
            Assert.True((await Assert.ThrowsAsync<TaskFailedException>(() => running.GetResultAsync(Wait))).IsCancelled);
            await AssertDrainedAsync(broker);
            Assert.Empty(await broker.DeadLetters.ListAsync("e2e"));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => process.ReadLineStartingWithAsync("STARTED ", TimeSpan.FromSeconds(1)));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }
}

[Collection(StandaloneCollection.Name)]
public sealed class StandaloneEngineCancellationTests(StandaloneRedis redis) : RedisEngineCancellationTests(redis);

[Collection(ClusterCollection.Name)]
public sealed class ClusterEngineCancellationTests(ClusterRedis redis) : RedisEngineCancellationTests(redis);
