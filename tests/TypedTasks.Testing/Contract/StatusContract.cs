using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json.Serialization.Metadata;
using System.Threading.Tasks;
using TypedTasks.Brokers;
using TypedTasks.Generated;

namespace TypedTasks.Testing;

/// <summary>
/// The status and progress contract (<see cref="ITaskStatusStore"/>, and what a worker records through it), stated by
/// behaviour only: the in-memory broker (TypedTasks.Tests), a standalone redis-server and a three-master Cluster
/// (TypedTasks.Redis.Tests) each run it.
/// </summary>
public abstract class StatusContract
{
    protected static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    /// <summary>Retry backoff and delays: short, since the Redis runners wait them out for real.</summary>
    protected static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(900);

    protected abstract TimeProvider Time { get; }

    protected abstract ITaskBroker CreateBroker();

    protected abstract Task LetTimePassAsync(TimeSpan duration);

    private static readonly byte[] NoArguments = "{}"u8.ToArray();

    [Fact]
    public async Task An_id_nothing_is_known_about_is_Unknown()
    {
        await using var broker = CreateBroker();
        var client = new TaskClient(broker, [], Time);

        var status = await client.GetStatusAsync(TaskId.NewId());

        Assert.Equal(TaskState.Unknown, status.State);
        Assert.False(status.IsFinished);
        Assert.Null(status.Progress);
        Assert.Null(await broker.Status.GetProgressAsync(status.TaskId));
    }

    [Fact]
    public async Task A_tracked_task_goes_queued_running_retrying_running_succeeded()
    {
        await using var broker = CreateBroker();
        var queue = TestMessages.Queue();
        var firstStarted = new TaskCompletionSource();
        var firstMayFail = new TaskCompletionSource();
        var secondStarted = new TaskCompletionSource();
        var secondMayFinish = new TaskCompletionSource();
        var actor = new ScriptedActor(
            "status.flaky",
            queue,
            new ActorOptions { MaxRetries = 3, MinBackoff = Delay, MaxBackoff = Delay },
            async _ =>
            {
                firstStarted.SetResult();
                await firstMayFail.Task;
                throw new InvalidOperationException("the first attempt fails");
            },
            async _ =>
            {
                secondStarted.SetResult();
                await secondMayFinish.Task;
            });
        var client = new TaskClient(broker, [], Time);
        var handle = await client.SendAsync(new TaskRequest(actor.Name, queue, NoArguments) { TrackStatus = true });

        var queued = await handle.GetStatusAsync();
        Assert.Equal(TaskState.Queued, queued.State);
        Assert.Equal(handle.Id, queued.TaskId);
        Assert.NotNull(queued.EnqueuedAt);
        Assert.Equal(0, queued.Attempt);

        await using var worker = new TaskWorker(broker, new ActorRegistry([actor]), new WorkerOptions
        {
            Queues = [queue], Concurrency = 1, TimeProvider = Time, Jitter = static () => 1, ConsumerName = "status-worker",
        });
        await worker.StartAsync();

        await firstStarted.Task.WaitAsync(Wait);
        var running = await StatusWhenAsync(handle, TaskState.Running, "attempt 1 runs");
        Assert.Equal(1, running.Attempt);
        Assert.Equal("status-worker", running.Worker);
        Assert.NotNull(running.StartedAt);
        Assert.Equal(queued.EnqueuedAt, running.EnqueuedAt);

        firstMayFail.SetResult();
        var retrying = await StatusWhenAsync(handle, TaskState.Retrying, "attempt 1 failed");
        Assert.Equal(1, retrying.Attempt);
        Assert.NotNull(retrying.NextAttemptAt);
        Assert.True(retrying.NextAttemptAt > running.StartedAt);
        Assert.NotNull(retrying.Error);
        Assert.Equal("the first attempt fails", retrying.Error.Message);
        Assert.Equal(typeof(InvalidOperationException).FullName, retrying.Error.Type);
        Assert.Null(retrying.Error.StackTrace);

        await LetTimePassAsync(Delay);
        await secondStarted.Task.WaitAsync(Wait);
        var second = await StatusWhenAsync(handle, TaskState.Running, "attempt 2 runs");
        Assert.Equal(2, second.Attempt);
        Assert.Null(second.NextAttemptAt);

        secondMayFinish.SetResult();
        var succeeded = await StatusWhenAsync(handle, TaskState.Succeeded, "attempt 2 succeeded");
        Assert.True(succeeded.IsFinished);
        Assert.Equal(2, succeeded.Attempt);
        Assert.NotNull(succeeded.CompletedAt);
        Assert.Null(succeeded.Error);
        Assert.Equal(queued.EnqueuedAt, succeeded.EnqueuedAt);
        await worker.StopAsync();
    }

    [Fact]
    public async Task Failed_and_dead_lettered_tasks_say_why_and_a_requeue_starts_over()
    {
        await using var broker = CreateBroker();
        var queue = TestMessages.Queue();
        var failing = new ScriptedActor("status.failing", queue, ActorOptions.Default, static _ => throw new NonRetryableException("no point retrying"));
        var refusing = new ScriptedActor("status.refusing", queue, ActorOptions.Default, static _ => throw new TaskArgumentException("bad arguments"));
        var client = new TaskClient(broker, [], Time);
        var failed = await client.SendAsync(new TaskRequest(failing.Name, queue, NoArguments) { TrackStatus = true });
        var refused = await client.SendAsync(new TaskRequest(refusing.Name, queue, NoArguments) { TrackStatus = true });

        await using (var worker = new TaskWorker(broker, new ActorRegistry([failing, refusing]), new WorkerOptions { Queues = [queue], Concurrency = 2, TimeProvider = Time }))
        {
            await worker.StartAsync();
            var failedStatus = await StatusWhenAsync(failed, TaskState.Failed, "the non-retryable failure is recorded");
            Assert.Equal(DeadLetterReason.NonRetryable, failedStatus.Error?.Reason);
            Assert.Equal("no point retrying", failedStatus.Error?.Message);
            Assert.Equal(1, failedStatus.Attempt);
            Assert.NotNull(failedStatus.CompletedAt);

            var refusedStatus = await StatusWhenAsync(refused, TaskState.DeadLettered, "the argument failure is recorded");
            Assert.Equal(DeadLetterReason.InvalidArguments, refusedStatus.Error?.Reason);
            await worker.StopAsync();
        }

        var deadLetter = Assert.Single(await broker.DeadLetters.ListAsync(queue), d => d.Message?.Id == refused.Id);
        Assert.True(await broker.DeadLetters.RequeueAsync(queue, deadLetter.Id));

        // A requeue is a new run: the old terminal state is forgotten with the old outcome.
        Assert.False((await refused.GetStatusAsync()).IsFinished);
    }

    [Fact]
    public async Task A_delayed_tracked_task_is_Scheduled_until_its_due_time_then_Queued()
    {
        await using var broker = CreateBroker();
        var queue = TestMessages.Queue();
        var client = new TaskClient(broker, [], Time);

        var handle = await client.SendAsync(new TaskRequest("status.later", queue, NoArguments, new SendOptions { Delay = Delay, TrackStatus = true }));

        var scheduled = await handle.GetStatusAsync();
        Assert.Equal(TaskState.Scheduled, scheduled.State);
        Assert.Equal(scheduled.EnqueuedAt + Delay, scheduled.NextAttemptAt);

        await LetTimePassAsync(Delay + TimeSpan.FromMilliseconds(100));
        var due = await handle.GetStatusAsync();
        Assert.Equal(TaskState.Queued, due.State);
        Assert.Equal(scheduled.NextAttemptAt, due.NextAttemptAt);
    }

    [Fact]
    public async Task An_untracked_task_is_Unknown_until_its_outcome_says_how_it_ended()
    {
        await using var broker = CreateBroker();
        var queue = TestMessages.Queue();
        var started = new TaskCompletionSource();
        var mayFinish = new TaskCompletionSource();
        var actor = new ScriptedActor("status.untracked", queue, new ActorOptions { StoreResults = true }, async invocation =>
        {
            await invocation.Progress!.ReportAsync(50, "half way");
            started.SetResult();
            await mayFinish.Task;
        });
        var client = new TaskClient(broker, [], Time);
        var handle = await client.SendAsync(new TaskRequest(actor.Name, queue, NoArguments));
        Assert.Equal(TaskState.Unknown, (await handle.GetStatusAsync()).State);

        await using var worker = new TaskWorker(broker, new ActorRegistry([actor]), new WorkerOptions { Queues = [queue], Concurrency = 1, TimeProvider = Time });
        await worker.StartAsync();
        await started.Task.WaitAsync(Wait);

        // Progress is kept for untracked tasks too; the state stays Unknown.
        var progress = await handle.WaitForProgressAsync(0, Wait);
        Assert.NotNull(progress);
        var running = await handle.GetStatusAsync();
        Assert.Equal(TaskState.Unknown, running.State);
        Assert.Equal(50, running.Progress?.Percent);

        mayFinish.SetResult();
        var finished = await StatusWhenAsync(handle, TaskState.Succeeded, "the stored outcome is read");
        Assert.NotNull(finished.CompletedAt);
        Assert.Equal(0, finished.Attempt);
        Assert.Equal("half way", finished.Progress?.Message);
        await worker.StopAsync();
    }

    [Fact]
    public async Task Status_records_and_outcomes_expire_into_Unknown()
    {
        await using var broker = CreateBroker();
        var recordedId = TaskId.NewId();
        var finishedId = TaskId.NewId();
        var now = Time.GetUtcNow();

        Assert.True(await broker.Status.RecordAsync(recordedId, new TaskStatusUpdate(TaskState.Running, now) { Attempt = 1, Worker = "w" }, Delay));
        await broker.Results.SetAsync(finishedId, new TaskOutcome(true, ReadOnlyMemory<byte>.Empty, null, now), Delay);
        Assert.Equal(TaskState.Running, (await broker.Status.GetAsync(recordedId)).State);
        Assert.Equal(TaskState.Succeeded, (await broker.Status.GetAsync(finishedId)).State);

        await LetTimePassAsync(Delay + Delay);

        Assert.Equal(TaskState.Unknown, (await broker.Status.GetAsync(recordedId)).State);
        Assert.Equal(TaskState.Unknown, (await broker.Status.GetAsync(finishedId)).State);
    }

    [Fact]
    public async Task A_progress_waiter_sees_each_newer_report()
    {
        await using var broker = CreateBroker();
        var id = TaskId.NewId();
        var progress = new TaskProgress(broker.Status, id, TimeSpan.FromMinutes(1), Time);

        var first = broker.Status.WaitForProgressAsync(id, 0, Wait).AsTask();
        await progress.ReportAsync(10, "started");
        var seen = await first;
        Assert.NotNull(seen);
        Assert.Equal(10, seen.Percent);
        Assert.Equal("started", seen.Message);

        var next = broker.Status.WaitForProgressAsync(id, seen.Sequence, Wait).AsTask();
        await progress.ReportAsync(75, "rows", new ImportProgress(3, 4), ImportProgressJson);
        var later = await next;
        Assert.NotNull(later);
        Assert.True(later.Sequence > seen.Sequence);
        Assert.Equal(75, later.Percent);
        Assert.Equal(new ImportProgress(3, 4), later.GetValue(ImportProgressJson));
        await progress.FlushAsync();

        // Nothing newer: the wait ends empty-handed at its timeout.
        Assert.Null(await broker.Status.WaitForProgressAsync(id, later.Sequence, TimeSpan.FromMilliseconds(300)));
        Assert.Equal(later.Sequence, (await broker.Status.GetProgressAsync(id))?.Sequence);
    }

    [Fact]
    public async Task Any_order_of_status_writes_keeps_terminal_states_final_and_attempts_monotonic()
    {
        await using var broker = CreateBroker();
        var seed = Environment.TickCount;
        var random = new Random(seed);
        var now = Time.GetUtcNow();
        for (var round = 0; round < 8; round++)
        {
            var id = TaskId.NewId();
            int? modelRank = null;
            TaskState modelState = TaskState.Unknown;
            for (var step = 0; step < 12; step++)
            {
                var update = RandomUpdate(random, now.AddMilliseconds(step));
                var rank = TaskStatusRules.Rank(update);
                var expected = TaskStatusRules.Accepts(modelRank, rank);
                var recorded = await broker.Status.RecordAsync(id, update, TimeSpan.FromMinutes(1));
                var state = (await broker.Status.GetAsync(id)).State;
                var because = $"seed {seed}, round {round}, step {step}: {update.State} attempt {update.Attempt} after {modelState} (rank {modelRank})";
                Assert.True(expected == recorded, because);
                if (expected)
                {
                    modelRank = rank;
                    modelState = update.State;
                }

                Assert.True(modelState == state, because + $", read {state}");
            }
        }
    }

    private static TaskStatusUpdate RandomUpdate(Random random, DateTimeOffset at)
    {
        var attempt = random.Next(1, 4);
        return random.Next(7) switch
        {
            0 => new TaskStatusUpdate(TaskState.Queued, at),
            1 or 2 => new TaskStatusUpdate(TaskState.Running, at) { Attempt = attempt, Worker = "w" + attempt },
            3 or 4 => new TaskStatusUpdate(TaskState.Retrying, at) { Attempt = attempt, NextAttemptAt = at.AddSeconds(1) },
            5 => new TaskStatusUpdate(TaskState.Succeeded, at) { Attempt = attempt },
            _ => new TaskStatusUpdate(TaskState.Failed, at) { Attempt = attempt, Error = new TaskError(DeadLetterReason.RetriesExhausted, "E", "m") },
        };
    }

    private async Task<TaskStatusInfo> StatusWhenAsync(TaskHandle handle, TaskState state, string because)
    {
        TaskStatusInfo? last = null;
        await Eventually.UntilAsync(
            async () => (last = await handle.GetStatusAsync()).State == state,
            $"{because} (state {state}; last read {last?.State})",
            Wait);
        return last!;
    }

    public sealed record ImportProgress(int Done, int Total);

    private static JsonTypeInfo<ImportProgress> ImportProgressJson => StatusContractJson.Default.ImportProgress;
}

[System.Text.Json.Serialization.JsonSerializable(typeof(StatusContract.ImportProgress))]
internal sealed partial class StatusContractJson : System.Text.Json.Serialization.JsonSerializerContext;
