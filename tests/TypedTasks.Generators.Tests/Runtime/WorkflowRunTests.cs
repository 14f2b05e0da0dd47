using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using TypedTasks.Generators.Tests.Actors;

namespace TypedTasks.Generators.Tests.Runtime;

/// <summary>Actors of the graph workflows below: a shared first step, three branches reading its result, and a join
/// taking all three results as typed arguments.</summary>
public static class WorkflowGraphActors
{
    /// <summary>How many times <see cref="Seed"/> ran, per seed.</summary>
    public static ConcurrentDictionary<string, int> SeedRuns { get; } = new(StringComparer.Ordinal);

    [Actor(Name = "graph.seed")]
    public static string Seed(string seed)
    {
        SeedRuns.AddOrUpdate(seed, 1, static (_, runs) => runs + 1);
        return seed + "-x";
    }

    [Actor(Name = "graph.length")]
    public static int Length(string text) => text.Length;

    [Actor(Name = "graph.upper")]
    public static string Upper(string text) => text.ToUpperInvariant();

    [Actor(Name = "graph.has-x")]
    public static bool HasX(string text) => text.Contains('x', StringComparison.Ordinal);

    [Actor(Name = "graph.join")]
    public static string Join(int length, string upper, bool hasX, string separator = "|") =>
        string.Join(separator, length.ToString(System.Globalization.CultureInfo.InvariantCulture), upper, hasX ? "x" : "no-x");

    [Actor(Name = "graph.explode", MaxRetries = 0)]
    public static int Explode(string reason) => throw new InvalidOperationException(reason);
}

/// <summary>
/// Workflows built with the generated <c>Message</c>, <c>With</c> and <c>Step</c>, run by a worker on the in-memory
/// broker (<see cref="InMemoryBroker.RunUntilIdleAsync"/>): results flow between the real actors of this assembly.
/// </summary>
public sealed class WorkflowRunTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_chain_of_three_steps_passes_each_result_to_the_next_ones_first_parameter()
    {
        await using var broker = new InMemoryBroker();
        var client = broker.CreateClient();
        const string Url = "https://images.example/chain-of-three.png";

        var handle = await Tasks.WorkflowActors.Download.Message(Url)
            .Then(Tasks.WorkflowActors.Resize.With(width: 5))
            .Then(Tasks.WorkflowActors.Store.With(bucket: "thumbs"))
            .SendAsync(client);
        await broker.RunUntilIdleAsync(Tasks.Registry);

        var expected = new Uri("https://store.example/thumbs/" + Convert.ToHexString(Encoding.UTF8.GetBytes(Url)[..5]));
        Assert.Equal(expected, await handle.GetResultAsync(Timeout));
        var status = await handle.GetWorkflowStatusAsync();
        Assert.Equal(WorkflowState.Succeeded, status.State);
        Assert.Equal(["images.download", "images.resize", "images.store"], status.Steps.Select(static s => s.Actor));
    }

    [Fact]
    public async Task A_void_last_step_receives_the_chain_result_and_a_default_argument_keeps_its_value()
    {
        await using var broker = new InMemoryBroker();
        var client = broker.CreateClient();
        var url = "https://images.example/" + Guid.NewGuid().ToString("N") + "/" + new string('p', 150);
        var marker = Guid.NewGuid().ToString("N");

        // Resize.With() leaves width out: its default (100) is sent.
        var handle = await Tasks.WorkflowActors.Download.Message(url)
            .Then(Tasks.WorkflowActors.Resize.With())
            .Then(Tasks.WorkflowActors.Store.With(bucket: "b"))
            .Then(Tasks.WorkflowActors.Notify.With(channel: marker))
            .SendAsync(client);
        await broker.RunUntilIdleAsync(Tasks.Registry);

        var location = "https://store.example/b/" + Convert.ToHexString(Encoding.UTF8.GetBytes(url)[..100]);
        Assert.Equal(marker, WorkflowActors.Effects[location]);
        Assert.Equal(WorkflowState.Succeeded, (await handle.GetWorkflowStatusAsync()).State);
    }

    [Fact]
    public async Task A_group_of_three_into_a_chord_step_sums_the_results_in_member_order()
    {
        await using var broker = new InMemoryBroker();
        var client = broker.CreateClient();
        var members = new[] { "a", "bb", "cccc" }.Select(static text => Tasks.WorkflowGraphActors.Length.Message(text)).ToArray();

        var chord = await Workflow.Group(members).Then(Tasks.WorkflowActors.Sum.With()).SendAsync(client);
        var group = await Workflow.Group(members).SendAsync(client);
        var chordByStep = await Tasks.WorkflowActors.Sum.Step(Workflow.Group(members)).SendAsync(client);
        await broker.RunUntilIdleAsync(Tasks.Registry);

        Assert.Equal(7, await chord.GetResultAsync(Timeout));
        Assert.Equal(new[] { 1, 2, 4 }, await group.GetResultAsync(Timeout));
        Assert.Equal(7, await chordByStep.GetResultAsync(Timeout));
        var status = await chord.GetWorkflowStatusAsync();
        Assert.Equal(5, status.Steps.Count);   // three members, the group, the sum
        Assert.All(status.Steps, static s => Assert.Equal(WorkflowStepState.Succeeded, s.State));
    }

    [Fact]
    public async Task A_dag_whose_join_takes_three_branch_results_as_typed_arguments_runs_the_shared_step_once()
    {
        await using var broker = new InMemoryBroker();
        var client = broker.CreateClient();
        var seed = "dag-" + Guid.NewGuid().ToString("N")[..8];

        // A -> (B, C, D) -> E: one branch chained with With, two built with Step; all three share A.
        var a = Tasks.WorkflowGraphActors.Seed.Message(seed);
        var b = a.Then(Tasks.WorkflowGraphActors.Length.With());
        var c = Tasks.WorkflowGraphActors.Upper.Step(a);
        var d = Tasks.WorkflowGraphActors.HasX.Step(a);
        var handle = await Tasks.WorkflowGraphActors.Join.Step(b, c, d, separator: "/").SendAsync(client);
        await broker.RunUntilIdleAsync(Tasks.Registry);

        Assert.Equal($"{seed.Length + 2}/{seed.ToUpperInvariant()}-X/x", await handle.GetResultAsync(Timeout));
        Assert.Equal(1, WorkflowGraphActors.SeedRuns[seed]);
        var status = await handle.GetWorkflowStatusAsync();
        Assert.Equal(5, status.Steps.Count);
        var join = Assert.Single(status.Steps, static s => s.Actor == "graph.join");
        Assert.Equal(3, join.DependsOn.Count);
    }

    [Fact]
    public async Task Step_arguments_mix_values_steps_and_defaults()
    {
        await using var broker = new InMemoryBroker();
        var client = broker.CreateClient();

        // Only the length comes from a step; upper and hasX are values, separator keeps its default.
        var handle = await Tasks.WorkflowGraphActors.Join.Step(Tasks.WorkflowGraphActors.Length.Message("four"), "UP", false).SendAsync(client);
        await broker.RunUntilIdleAsync(Tasks.Registry);

        Assert.Equal("4|UP|no-x", await handle.GetResultAsync(Timeout));
    }

    [Fact]
    public async Task A_failing_step_fails_the_workflow_and_the_failure_callback_receives_a_typed_WorkflowFailure()
    {
        await using var broker = new InMemoryBroker();
        var client = broker.CreateClient();
        var marker = Guid.NewGuid().ToString("N");

        var handle = await Tasks.WorkflowGraphActors.Explode.Message("kaput " + marker)
            .Then(Tasks.WorkflowGraphActors.Join.With(upper: "U", hasX: true))
            .OnFailure(Tasks.WorkflowActors.RecordFailure.With(marker: marker))
            .SendAsync(client);
        await broker.RunUntilIdleAsync(Tasks.Registry, new InMemoryRunOptions { FailFast = false });

        var failed = await Assert.ThrowsAsync<TaskFailedException>(() => handle.GetResultAsync(Timeout));
        Assert.Contains("kaput " + marker, failed.Message, StringComparison.Ordinal);
        var status = await handle.GetWorkflowStatusAsync();
        Assert.Equal(WorkflowState.Failed, status.State);
        Assert.Equal([WorkflowStepState.Failed, WorkflowStepState.NotRun], status.Steps.Select(static s => s.State));
        Assert.Equal($"graph.explode|{DeadLetterReason.RetriesExhausted}|System.InvalidOperationException|kaput {marker}", WorkflowActors.Effects[marker]);
    }

    [Fact]
    public void Step_given_default_for_a_parameter_without_a_default_value_names_actor_and_parameter()
    {
        var error = Assert.Throws<ArgumentException>(() => Tasks.WorkflowGraphActors.Join.Step(1, default, true));

        Assert.Equal("upper", error.ParamName);
        Assert.StartsWith("Step(...) of actor 'graph.join' needs a value or a step for 'upper'", error.Message, StringComparison.Ordinal);
    }
}
