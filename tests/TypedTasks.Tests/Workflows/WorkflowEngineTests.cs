using System;
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
}
