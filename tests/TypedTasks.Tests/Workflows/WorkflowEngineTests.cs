using System;
using System.Collections.Generic;
using System.Threading;
using TypedTasks.Brokers;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using TypedTasks.Generated;
using TypedTasks.Tests.Support;

namespace TypedTasks.Tests.Workflows;

/// <summary>
/// The engine on the in-memory broker with hand-written actors (the generated <c>With</c>/<c>Step</c> builders are
/// tested in the generator's compile-and-run tests; the cross-broker suite is WorkflowContract).
/// </summary>
public sealed class WorkflowEngineTests
{
    private static readonly ActorRegistry Registry = new(
    [
        TestActor.Returning("inc", args => args.GetProperty("x").GetInt32() + args.GetProperty("by").GetInt32(), TypedTasksJsonContext.Default.Int32),
        TestActor.Returning("sum", args => args.GetProperty("values").EnumerateArray().Sum(v => v.GetInt32()), TypedTasksJsonContext.Default.Int32),
        TestActor.Returning("concat", args => $"{args.GetProperty("a").GetInt32()}-{args.GetProperty("b").GetInt32()}-{args.GetProperty("c").GetInt32()}", TypedTasksJsonContext.Default.String),
        TestActor.Returning("boom", int (_) => throw new InvalidOperationException("kaput"), TypedTasksJsonContext.Default.Int32, new ActorOptions { MaxRetries = 0 }),
        TestActor.Returning("failure", args => args.GetProperty("failure").GetProperty("actor").GetString()!, TypedTasksJsonContext.Default.String),
    ]);

    private static TaskRequest<int> Inc(int x, int by) =>
        TaskMessages.Create("inc", TaskMessage.DefaultQueue, Encoding.UTF8.GetBytes($$"""{"x":{{x}},"by":{{by}}}"""), null, TypedTasksJsonContext.Default.Int32);

    private static WorkflowStep<int, int> IncWith(int by) =>
        WorkflowSteps.With<int, int>(new TaskRequest("inc", TaskMessage.DefaultQueue, Encoding.UTF8.GetBytes($$"""{"by":{{by}}}""")), "x", TypedTasksJsonContext.Default.Int32);

    [Fact]
    public async Task A_chain_feeds_each_result_to_the_next_step()
    {
        await using var broker = new InMemoryBroker();
        var client = broker.CreateClient();

        var handle = await Inc(1, 10).Then(IncWith(100)).Then(IncWith(1000)).SendAsync(client);
        await broker.RunUntilIdleAsync(Registry);

        Assert.Equal(1111, await handle.GetResultAsync(TimeSpan.FromSeconds(5)));
        var status = await handle.GetWorkflowStatusAsync();
        Assert.Equal(WorkflowState.Succeeded, status.State);
        Assert.All(status.Steps, s => Assert.Equal(WorkflowStepState.Succeeded, s.State));
        Assert.Equal(3, status.Steps.Count);
    }

    [Fact]
    public async Task A_group_into_a_chord_and_a_dag_with_a_shared_dependency()
    {
        await using var broker = new InMemoryBroker();
        var client = broker.CreateClient();
        var sum = WorkflowSteps.With<int[], int>(new TaskRequest("sum", TaskMessage.DefaultQueue, "{}"u8.ToArray()), "values", TypedTasksJsonContext.Default.Int32);

        var chord = await Workflow.Group(Enumerable.Range(1, 50).Select(i => Inc(i, 0))).Then(sum).SendAsync(client);

        var a = Inc(1, 1);
        var b = a.Then(IncWith(1));
        var c = a.Then(IncWith(2));
        var d = a.Then(IncWith(3));
        var e = WorkflowSteps.Step(new TaskRequest("concat", TaskMessage.DefaultQueue, "{}"u8.ToArray()), [new("a", b), new("b", c), new("c", d)], TypedTasksJsonContext.Default.String);
        var dag = await e.SendAsync(client);
        var tuple = await Workflow.Group(Inc(1, 1), e).SendAsync(client);

        await broker.RunUntilIdleAsync(Registry);

        Assert.Equal(1275, await chord.GetResultAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal("3-4-5", await dag.GetResultAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal((2, "3-4-5"), await tuple.GetResultAsync(TimeSpan.FromSeconds(5)));
        var status = await dag.GetWorkflowStatusAsync();
        Assert.Equal(5, status.Steps.Count);   // a runs once although three steps depend on it
    }

    [Fact]
    public async Task A_failed_step_fails_the_workflow_and_fires_failure_callbacks()
    {
        await using var broker = new InMemoryBroker();
        var client = broker.CreateClient();
        var boom = TaskMessages.Create("boom", TaskMessage.DefaultQueue, "{}"u8.ToArray(), null, TypedTasksJsonContext.Default.Int32);
        var onFailure = WorkflowSteps.With<WorkflowFailure, string>(new TaskRequest("failure", TaskMessage.DefaultQueue, "{}"u8.ToArray()), "failure", TypedTasksJsonContext.Default.String);

        var handle = await boom.Then(IncWith(1)).OnFailure(onFailure).SendAsync(client);
        await broker.RunUntilIdleAsync(Registry, new InMemoryRunOptions { FailFast = false });

        var failure = await Assert.ThrowsAsync<TaskFailedException>(() => handle.GetResultAsync(TimeSpan.FromSeconds(5)));
        Assert.Contains("kaput", failure.Message, StringComparison.Ordinal);
        var status = await handle.GetWorkflowStatusAsync();
        Assert.Equal(WorkflowState.Failed, status.State);
        Assert.Equal([WorkflowStepState.Failed, WorkflowStepState.NotRun], status.Steps.Select(s => s.State));
        var callback = await client.Results.GetAsync($"{handle.Id}.1.f0");
        Assert.NotNull(callback);
        Assert.Equal("\"boom\"", Encoding.UTF8.GetString(callback.Value.Span));
    }

    [Fact]
    public async Task Resending_a_workflow_whose_first_steps_were_not_sent_starts_it_once()
    {
        await using var inner = new InMemoryBroker();
        var broker = new FailingBroker(inner) { FailSends = 1 };
        var client = new TaskClient(broker);
        var workflow = Workflow.Group([Inc(1, 0), Inc(2, 0)]);
        var options = new WorkflowOptions { WorkflowId = "order-42" };

        await Assert.ThrowsAsync<System.IO.IOException>(async () => await workflow.SendAsync(client, options));
        Assert.Equal(0, inner.GetQueueLength(TaskMessage.DefaultQueue));

        var retried = await workflow.SendAsync(client, options);
        var again = await workflow.SendAsync(client, options);
        Assert.True(retried.IsDuplicate);
        Assert.True(again.IsDuplicate);
        Assert.Equal(2, inner.GetQueueLength(TaskMessage.DefaultQueue));   // each first step once

        await inner.RunUntilIdleAsync(Registry);
        var results = await retried.GetResultAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(new[] { 1, 2 }, results);
    }

    [Fact]
    public async Task A_hand_over_that_fails_leaves_the_step_to_redelivery_which_completes_it()
    {
        await using var inner = new InMemoryBroker();
        var broker = new FailingBroker(inner) { FailCompletions = 1 };
        var client = new TaskClient(broker);
        var runs = 0;
        var registry = new ActorRegistry(
        [
            new TestActor("count", invocation =>
            {
                Interlocked.Increment(ref runs);
                System.Buffers.BuffersExtensions.Write(invocation.Result, "7"u8);
                return ValueTask.CompletedTask;
            }, hasResult: true),
            .. Registry.Actors,
        ]);
        var first = TaskMessages.Create("count", TaskMessage.DefaultQueue, "{}"u8.ToArray(), null, TypedTasksJsonContext.Default.Int32);

        var handle = await first.Then(IncWith(1)).SendAsync(client);
        await using (var worker = new TaskWorker(broker, registry, new WorkerOptions { Concurrency = 1 }))
        {
            await worker.StartAsync();
            Assert.Equal(8, await handle.GetResultAsync(TimeSpan.FromSeconds(10)));
            await worker.StopAsync();
        }

        Assert.Equal(2, runs);   // the first run's hand-over failed, so the step ran again (at least once)
        var status = await handle.GetWorkflowStatusAsync();
        Assert.All(status.Steps, s => Assert.Equal(WorkflowStepState.Succeeded, s.State));
    }

    [Fact]
    public void Choices_a_step_cannot_honour_are_refused_when_it_is_composed()
    {
        var later = new SendOptions { NotBefore = DateTimeOffset.UtcNow.AddHours(1) };
        var chosen = new SendOptions { TaskId = "mine" };

        var notBefore = Assert.Throws<ArgumentException>(() => Inc(1, 1).Then(WorkflowSteps.With<int, int>(new TaskRequest("inc", TaskMessage.DefaultQueue, "{}"u8.ToArray(), later), "x", TypedTasksJsonContext.Default.Int32)));
        Assert.Contains("NotBefore", notBefore.Message, StringComparison.Ordinal);
        var callbackId = Assert.Throws<ArgumentException>(() => Inc(1, 1).OnSuccess(new TaskRequest("inc", TaskMessage.DefaultQueue, "{}"u8.ToArray(), chosen)));
        Assert.Contains("task id", callbackId.Message, StringComparison.Ordinal);
        var rootId = Assert.Throws<ArgumentException>(() => new TaskRequest("inc", TaskMessage.DefaultQueue, "{}"u8.ToArray(), chosen).Then(Inc(1, 1)));
        Assert.Contains("task id", rootId.Message, StringComparison.Ordinal);
    }

    /// <summary>An in-memory broker whose sends or workflow step completions fail a set number of times.</summary>
    private sealed class FailingBroker(InMemoryBroker inner) : ITaskBroker, IWorkflowStore
    {
        public int FailSends { get; set; }

        public int FailCompletions { get; set; }

        public ITaskResultStore Results => inner.Results;

        public IDeadLetterStore DeadLetters => inner.DeadLetters;

        public ITaskStatusStore Status => inner.Status;

        public IWorkflowStore Workflows => this;

        public ValueTask<string?> SendAsync(TaskMessage message, CancellationToken cancellationToken = default) => inner.SendAsync(message, cancellationToken);

        public ValueTask<IReadOnlyList<string?>?> SendManyAsync(IReadOnlyList<TaskMessage> messages, CancellationToken cancellationToken = default) =>
            FailSends-- > 0 ? throw new System.IO.IOException("connection reset (send)") : inner.SendManyAsync(messages, cancellationToken);

        public ValueTask<CancelResult> CancelAsync(string taskId, CancellationToken cancellationToken = default) => inner.CancelAsync(taskId, cancellationToken);

        public ValueTask<ITaskConsumer> CreateConsumerAsync(ConsumerOptions options, CancellationToken cancellationToken = default) => inner.CreateConsumerAsync(options, cancellationToken);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        public ValueTask<bool> CreateAsync(WorkflowDraft workflow, TimeSpan timeToLive, CancellationToken cancellationToken = default) => inner.Workflows.CreateAsync(workflow, timeToLive, cancellationToken);

        public ValueTask<IReadOnlyList<ReadOnlyMemory<byte>>?> GetStepsAsync(string workflowId, IReadOnlyList<int>? steps, CancellationToken cancellationToken = default) => inner.Workflows.GetStepsAsync(workflowId, steps, cancellationToken);

        public ValueTask<WorkflowStepCompletion> CompleteStepAsync(string workflowId, int step, TaskOutcome outcome, IReadOnlyList<int> dependants, TimeSpan timeToLive, CancellationToken cancellationToken = default) =>
            FailCompletions-- > 0 ? throw new System.IO.IOException("connection reset (complete)") : inner.Workflows.CompleteStepAsync(workflowId, step, outcome, dependants, timeToLive, cancellationToken);

        public ValueTask<IReadOnlyList<TaskOutcome?>> GetOutcomesAsync(string workflowId, IReadOnlyList<int> steps, CancellationToken cancellationToken = default) => inner.Workflows.GetOutcomesAsync(workflowId, steps, cancellationToken);

        public ValueTask<WorkflowFinalState?> FinishAsync(string workflowId, WorkflowFinalState final, TimeSpan timeToLive, CancellationToken cancellationToken = default) => inner.Workflows.FinishAsync(workflowId, final, timeToLive, cancellationToken);

        public ValueTask<WorkflowSnapshot?> GetSnapshotAsync(string workflowId, CancellationToken cancellationToken = default) => inner.Workflows.GetSnapshotAsync(workflowId, cancellationToken);

        public ValueTask<WorkflowFinalState?> GetFinalAsync(string workflowId, CancellationToken cancellationToken = default) => inner.Workflows.GetFinalAsync(workflowId, cancellationToken);
    }
}
