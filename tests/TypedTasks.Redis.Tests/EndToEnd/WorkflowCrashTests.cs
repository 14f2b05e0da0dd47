using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using StackExchange.Redis;
using TypedTasks.Generated;
using TypedTasks.Redis.Internal;
using TypedTasks.Redis.Tests.Infrastructure;
using TypedTasks.Redis.TestWorker;

namespace TypedTasks.Redis.Tests.EndToEnd;

/// <summary>
/// A worker process SIGKILLed in the middle of a workflow (tests/TypedTasks.Redis.TestWorker, <c>workflow</c> mode),
/// at a known point of one step: while it runs; after its hand-over recorded the outcome (nothing sent, or for the last
/// step the workflow not yet finished); after the hand-over sent the continuations (the delivery not yet acked). A worker in the test then finishes the workflow.
/// The workflow is A → (B, C, D) → E → F: a fan-out, a fan-in and a chain; or the same with B, C, D as a group whose
/// array E sums, to stop in the middle of the group's completion. Test timings: claim threshold 1.5 s,
/// heartbeat 0.3 s.
/// </summary>
/// <remarks>
/// "Enqueued once" is read from the queue stream's <c>entries-added</c> counter (<c>XINFO STREAM</c>): every send adds
/// one entry, a claim adds none, and nothing here retries, delays or releases, so six task steps are six entries
/// exactly when no continuation was sent twice. "Ran" is read from <see cref="RecordingAdd"/>'s counters in Redis,
/// which the killed process wrote too.
/// </remarks>
public abstract class WorkflowCrashTests(RedisTarget redis)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private static readonly string[] Labels = ["A", "B", "C", "D", "E", "F"];

    [Theory]
    [InlineData("run", "B", false)]       // during a fan-out member
    [InlineData("recorded", "A", false)]  // A's outcome recorded and counted off B, C, D; none of them sent
    [InlineData("sent", "A", false)]      // B, C, D sent; A not acked
    [InlineData("sent", "E", false)]      // after the fan-in: F sent; E not acked
    [InlineData("recorded", "F", false)]  // the last step's outcome recorded; the workflow's final state and result not yet
    [InlineData("recorded", "D", true)]   // the group's last member recorded; the group not completed
    [InlineData("grouped", "D", true)]    // the group's outcome recorded too; E not sent
    public async Task A_workflow_whose_worker_process_was_killed_completes_and_enqueues_each_step_once(string point, string label, bool group)
    {
        await using var broker = redis.CreateBroker();
        var prefix = broker.Options.KeyPrefix;
        var client = new TaskClient(broker);
        await using var survivors = new WorkerSlot();

        using var process = TestWorkerProcess.Start("workflow", redis.ConnectionString, prefix, "1500", "300", point, label);
        try
        {
            await process.ReadLineStartingWithAsync("READY", Wait);
            var handle = await (group ? GroupWorkflow() : DagWorkflow()).SendAsync(client);
            var stopped = await process.ReadLineStartingWithAsync("STOPPED ", Wait);
            Assert.StartsWith($"STOPPED {point} {label} ", stopped, StringComparison.Ordinal);

            // A live worker is already waiting when the other one dies, as in production.
            survivors.Worker = new TaskWorker(broker, Survivors(prefix), new WorkerOptions
            {
                Queues = [RecordingAdd.QueueName], Concurrency = 4, ConsumerName = "survivor",
            });
            await survivors.Worker.StartAsync();
            process.Kill(); // SIGKILL on Unix: no finally blocks, no release, no goodbye.
            await process.WaitForExitAsync();

            Assert.Equal(163, await handle.GetResultAsync(Wait));
            var status = await handle.GetWorkflowStatusAsync();
            Assert.Equal(WorkflowState.Succeeded, status.State);
            Assert.All(status.Steps, s => Assert.Equal(WorkflowStepState.Succeeded, s.State));
            if (point == "grouped")
            {
                // The process stopped right after recording the group (D was the last member it ran: one at a time, in order).
                var recorded = int.Parse(stopped.Split(' ')[^1], CultureInfo.InvariantCulture);
                Assert.True(status.Steps[recorded].IsGroup, $"the process stopped after recording step {recorded}, not the group");
            }

            // Every delivery settled (acked entries are deleted): the repeated hand-over of the killed step is over.
            var stream = new QueueKeys(prefix, RecordingAdd.QueueName).Stream;
            await Eventually.UntilAsync(async () => await redis.Db.StreamLengthAsync(stream) == 0, "every delivery is settled", Wait);
            var runs = new Dictionary<string, long>();
            foreach (var step in Labels)
            {
                runs[step] = (long)await redis.Db.StringGetAsync(RecordingAdd.RunsKey(prefix, step));
            }

            // The killed step ran in the killed process and again in the survivor; every other step once.
            Assert.Equal(Labels.ToDictionary(l => l, l => l == label ? 2L : 1L), runs);
            Assert.Equal(Labels.Length, await EntriesAddedAsync(stream));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }

    [Theory]
    [InlineData("recorded")]  // X's failure recorded; the workflow not yet failed, no callback sent
    [InlineData("sent")]      // the workflow failed and X's failure callback sent; the rest not cancelled, X not dead-lettered
    public async Task A_failing_workflow_whose_worker_process_was_killed_fails_once_and_calls_back_once(string point)
    {
        await using var broker = redis.CreateBroker();
        var prefix = broker.Options.KeyPrefix;
        var client = new TaskClient(broker);
        await using var survivors = new WorkerSlot();

        using var process = TestWorkerProcess.Start("workflow", redis.ConnectionString, prefix, "1500", "300", point, "X");
        try
        {
            await process.ReadLineStartingWithAsync("READY", Wait);
            var callback = WorkflowSteps.With<WorkflowFailure, int>(Request("cb", null), "failure", TypedTasksJsonContext.Default.Int32);
            var fail = WorkflowSteps.With<int, int>(new TaskRequest(RecordingAdd.FailingActorName, RecordingAdd.QueueName, Arguments("X", null)), "x", TypedTasksJsonContext.Default.Int32);
            var handle = await Add("A", 1).Then(fail).OnFailure(callback).Then(AddTo("Y", 1)).SendAsync(client);
            Assert.StartsWith($"STOPPED {point} X ", await process.ReadLineStartingWithAsync("STOPPED ", Wait), StringComparison.Ordinal);

            survivors.Worker = new TaskWorker(broker, Survivors(prefix), new WorkerOptions
            {
                Queues = [RecordingAdd.QueueName], Concurrency = 4, ConsumerName = "survivor",
            });
            await survivors.Worker.StartAsync();
            process.Kill();
            await process.WaitForExitAsync();

            var failure = await Assert.ThrowsAsync<TaskFailedException>(() => handle.GetResultAsync(Wait));
            Assert.Contains($"{handle.Id}.1", failure.Message, StringComparison.Ordinal);
            Assert.Contains("kaput X", failure.Message, StringComparison.Ordinal);
            await Eventually.UntilAsync(async () => (long)await redis.Db.StringGetAsync(RecordingAdd.RunsKey(prefix, "cb")) >= 1, "the failure callback ran", Wait);
            var status = await handle.GetWorkflowStatusAsync();
            Assert.Equal(WorkflowState.Failed, status.State);
            Assert.Equal([WorkflowStepState.Succeeded, WorkflowStepState.Failed, WorkflowStepState.NotRun], status.Steps.Select(s => s.State));

            var stream = new QueueKeys(prefix, RecordingAdd.QueueName).Stream;
            await Eventually.UntilAsync(async () => await redis.Db.StreamLengthAsync(stream) == 0, "every delivery is settled", Wait);
            var runs = new Dictionary<string, long>();
            foreach (var step in new[] { "A", "X", "cb", "Y" })
            {
                runs[step] = (long)await redis.Db.StringGetAsync(RecordingAdd.RunsKey(prefix, step));
            }

            // X failed in the killed process and again in the survivor; its callback was sent and ran once; Y never ran.
            Assert.Equal(new Dictionary<string, long> { ["A"] = 1, ["X"] = 2, ["cb"] = 1, ["Y"] = 0 }, runs);
            Assert.Equal(3, await EntriesAddedAsync(stream));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }

    private ActorRegistry Survivors(string prefix) => new([new RecordingAdd(redis.Db, prefix), RecordingAdd.Failing(redis.Db, prefix)]);

    /// <summary>A → (B, C, D) → E → F: A = 1; B, C, D add 10, 20, 30; E sums them (63); F adds 100 (163).</summary>
    private static Workflow<int> DagWorkflow()
    {
        var a = Add("A", 1);
        var b = a.Then(AddTo("B", 10));
        var c = a.Then(AddTo("C", 20));
        var d = a.Then(AddTo("D", 30));
        var e = WorkflowSteps.Step(Request("E", null), [new("b", b), new("c", c), new("d", d)], TypedTasksJsonContext.Default.Int32);
        return e.Then(AddTo("F", 100));
    }

    /// <summary>The same with a group: A → group(B, C, D) → E (sums the group's array) → F; the same result.</summary>
    private static Workflow<int> GroupWorkflow()
    {
        var a = Add("A", 1);
        var members = new[] { a.Then(AddTo("B", 10)), a.Then(AddTo("C", 20)), a.Then(AddTo("D", 30)) };
        var e = WorkflowSteps.With<int[], int>(Request("E", null), "values", TypedTasksJsonContext.Default.Int32);
        return Workflow.Group(members).Then(e).Then(AddTo("F", 100));
    }

    /// <summary>How many entries were ever added to <paramref name="stream"/> (Redis 7: <c>XINFO STREAM</c> entries-added).</summary>
    private async Task<long> EntriesAddedAsync(RedisKey stream)
    {
        var info = (RedisResult[])(await redis.Db.ExecuteAsync("XINFO", "STREAM", stream))!;
        for (var i = 0; i + 1 < info.Length; i += 2)
        {
            if ((string?)info[i] == "entries-added")
            {
                return (long)info[i + 1];
            }
        }

        throw new InvalidOperationException("XINFO STREAM reported no entries-added (Redis 7 or later is needed).");
    }

    private static TaskRequest<int> Add(string label, int x) =>
        TaskMessages.Create(RecordingAdd.ActorName, RecordingAdd.QueueName, Arguments(label, $"\"x\":{x}"), null, TypedTasksJsonContext.Default.Int32);

    private static WorkflowStep<int, int> AddTo(string label, int by) =>
        WorkflowSteps.With<int, int>(Request(label, $"\"by\":{by}"), "x", TypedTasksJsonContext.Default.Int32);

    private static TaskRequest Request(string label, string? fields) => new(RecordingAdd.ActorName, RecordingAdd.QueueName, Arguments(label, fields));

    private static byte[] Arguments(string label, string? fields) =>
        Encoding.UTF8.GetBytes(fields is null ? $"{{\"label\":\"{label}\"}}" : $"{{\"label\":\"{label}\",{fields}}}");

    /// <summary>Owns a worker created mid-test, so it is stopped however the test ends.</summary>
    private sealed class WorkerSlot : IAsyncDisposable
    {
        public TaskWorker? Worker { get; set; }

        public ValueTask DisposeAsync() => Worker?.DisposeAsync() ?? ValueTask.CompletedTask;
    }
}

[Collection(StandaloneCollection.Name)]
public sealed class StandaloneWorkflowCrashTests(StandaloneRedis redis) : WorkflowCrashTests(redis);

[Collection(ClusterCollection.Name)]
public sealed class ClusterWorkflowCrashTests(ClusterRedis redis) : WorkflowCrashTests(redis);
