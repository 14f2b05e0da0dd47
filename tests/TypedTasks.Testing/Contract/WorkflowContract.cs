using System;
using System.Linq;
using System.Threading.Tasks;

namespace TypedTasks.Testing;

/// <summary>
/// The workflow contract, end to end: a client sends workflows, real <see cref="TaskWorker"/>s run their steps on the
/// broker the runner gives, and the results, callbacks, failures, cancellation and status are what docs/workflows.md
/// promises. The in-memory broker (TypedTasks.Tests), a standalone redis-server and a three-master Cluster
/// (TypedTasks.Redis.Tests) each run it. Actors are hand-written (<see cref="WorkflowRig"/>), so the suite does not
/// depend on the generator.
/// </summary>
public abstract partial class WorkflowContract
{
    /// <summary>How long a workflow may take before the case fails: generous, the CI machines are small.</summary>
    protected static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    /// <summary>A fresh broker that shares no queues or workflows with any other case.</summary>
    protected abstract ITaskBroker CreateBroker();

    /// <summary>How many members the large fan-out case sends.</summary>
    protected virtual int FanOutMembers => 10_000;

    protected Task<WorkflowRig> StartAsync(int workers = 1, int concurrency = 4) => WorkflowRig.StartAsync(CreateBroker(), workers, concurrency);

    [Fact]
    public async Task A_chain_of_three_feeds_each_result_to_the_next_and_reports_every_step()
    {
        await using var rig = await StartAsync();

        var handle = await rig.Add("a", 1, 10).Then(rig.AddTo("b", 100)).Then(rig.AddTo("c", 1000)).SendAsync(rig.Client);

        Assert.Equal(1111, await handle.GetResultAsync(Wait));
        var status = await handle.GetWorkflowStatusAsync();
        Assert.Equal(WorkflowState.Succeeded, status.State);
        Assert.Equal(handle.Id, status.WorkflowId);
        Assert.Null(status.Error);
        Assert.Equal([0, 1, 2], status.Steps.Select(s => s.Index));
        Assert.All(status.Steps, s => Assert.Equal(WorkflowStepState.Succeeded, s.State));
        Assert.All(status.Steps, s => Assert.Equal("wf.add", s.Actor));
        Assert.Equal([$"{handle.Id}.0", $"{handle.Id}.1", $"{handle.Id}.2"], status.Steps.Select(s => s.TaskId));
        Assert.Equal(new int[][] { [], [0], [1] }, status.Steps.Select(s => s.DependsOn.ToArray()));
        Assert.Equal([1, 1, 1], new[] { "a", "b", "c" }.Select(rig.RunsOf));
    }

    [Fact]
    public async Task A_group_returns_its_results_in_member_order_and_a_tuple_group_its_typed_results()
    {
        await using var rig = await StartAsync(concurrency: 8);

        var group = await Workflow.Group(Enumerable.Range(0, 12).Select(i => rig.Add(null, i * 10, 1))).SendAsync(rig.Client);
        var tuple = await Workflow.Group(rig.Add(null, 20, 22), rig.Text(null, "forty-two")).SendAsync(rig.Client);
        var twice = rig.Add("twice", 7);
        var repeated = await Workflow.Group([twice, rig.Add("other", 8), twice]).SendAsync(rig.Client);

        Assert.Equal(Enumerable.Range(0, 12).Select(i => i * 10 + 1), await group.GetResultAsync(Wait));
        Assert.Equal((42, "forty-two"), await tuple.GetResultAsync(Wait));
        Assert.Equal(new[] { 7, 8, 7 }, await repeated.GetResultAsync(Wait));   // a member listed twice is one step, run once
        Assert.Equal(1, rig.RunsOf("twice"));
        Assert.Equal(3, (await repeated.GetWorkflowStatusAsync()).Steps.Count);
        var status = await group.GetWorkflowStatusAsync();
        Assert.Equal(13, status.Steps.Count);
        Assert.Single(status.Steps, s => s.IsGroup);
        Assert.All(status.Steps, s => Assert.Equal(WorkflowStepState.Succeeded, s.State));
    }

    [Fact]
    public async Task A_chord_gets_every_member_result_in_order()
    {
        await using var rig = await StartAsync(concurrency: 8);

        var sum = await Workflow.Group(Enumerable.Range(1, 20).Select(i => rig.Add(null, i))).Then(rig.Sum("sum")).SendAsync(rig.Client);
        var join = await Workflow.Group(Enumerable.Range(1, 20).Select(i => rig.Add(null, i))).Then(rig.Join("join")).SendAsync(rig.Client);

        Assert.Equal(210, await sum.GetResultAsync(Wait));
        Assert.Equal(string.Join(",", Enumerable.Range(1, 20)), await join.GetResultAsync(Wait));
        Assert.Equal(1, rig.RunsOf("sum"));
        Assert.Equal(1, rig.RunsOf("join"));
    }

    [Fact]
    public async Task A_dag_with_a_shared_dependency_runs_the_shared_step_once()
    {
        await using var rig = await StartAsync(workers: 2);
        var a = rig.Add("A", 1, 1);
        var b = a.Then(rig.AddTo("B", 10));
        var c = a.Then(rig.AddTo("C", 20));
        var d = a.Then(rig.AddTo("D", 30));
        var e = rig.AddOf("E", 0, ("a", b), ("b", c), ("c", d));

        var handle = await e.SendAsync(rig.Client);

        Assert.Equal(12 + 22 + 32, await handle.GetResultAsync(Wait));
        Assert.Equal([1, 1, 1, 1, 1], new[] { "A", "B", "C", "D", "E" }.Select(rig.RunsOf));
        var status = await handle.GetWorkflowStatusAsync();
        Assert.Equal(5, status.Steps.Count);
        var root = Assert.Single(status.Steps, s => s.DependsOn.Count == 0);
        Assert.Equal(3, status.Steps.Count(s => s.DependsOn.SequenceEqual([root.Index])));
        Assert.Equal(3, status.Steps[^1].DependsOn.Count);
    }

    [Fact]
    public async Task A_success_callback_receives_the_step_result()
    {
        await using var rig = await StartAsync();

        var handle = await rig.Add("a", 40, 2).OnSuccess(rig.OnSuccess("first")).Then(rig.AddTo("b", 1)).OnSuccess(rig.OnSuccess("last")).SendAsync(rig.Client);

        Assert.Equal(43, await handle.GetResultAsync(Wait));
        await Eventually.UntilAsync(() => rig.Successes.Count == 2, "both success callbacks ran", Wait);
        Assert.Equal([("first", "42"), ("last", "43")], rig.Successes.OrderBy(s => s.Label, StringComparer.Ordinal));
        Assert.Empty(rig.Failures);
    }

    [Fact]
    public async Task A_failed_step_fails_the_workflow_its_dependants_never_run_and_the_error_names_the_step()
    {
        await using var rig = await StartAsync();

        var handle = await rig.Add("a", 1).Then(rig.AddTo("b", 1)).Then(rig.AddTo("c", 1)).SendAsync(rig.Client);
        var failing = await rig.Fail("boom").Then(rig.AddTo("after", 1)).Then(rig.AddTo("later", 1)).SendAsync(rig.Client);

        Assert.Equal(3, await handle.GetResultAsync(Wait));
        var failure = await Assert.ThrowsAsync<TaskFailedException>(() => failing.GetResultAsync(Wait));
        Assert.False(failure.IsCancelled);
        Assert.Equal(failing.Id, failure.TaskId);
        Assert.Contains($"{failing.Id}.0", failure.Message, StringComparison.Ordinal);
        Assert.Contains("wf.fail", failure.Message, StringComparison.Ordinal);
        Assert.Contains("kaput boom", failure.Message, StringComparison.Ordinal);
        var status = await failing.GetWorkflowStatusAsync();
        Assert.Equal(WorkflowState.Failed, status.State);
        Assert.Equal([WorkflowStepState.Failed, WorkflowStepState.NotRun, WorkflowStepState.NotRun], status.Steps.Select(s => s.State));
        Assert.Equal(typeof(InvalidOperationException).FullName, status.Steps[0].Error?.Type);
        Assert.Equal(0, rig.RunsOf("after") + rig.RunsOf("later"));
        Assert.Equal(1, rig.RunsOf("boom"));
    }

    [Fact]
    public async Task A_failure_callback_gets_the_failure_for_the_failed_step_and_for_a_step_that_depended_on_it()
    {
        await using var rig = await StartAsync();

        var handle = await rig.Fail("boom").OnFailure(rig.OnFailure("own"))
            .Then(rig.AddTo("after", 1)).OnFailure(rig.OnFailure("dependant"))
            .SendAsync(rig.Client);

        await Assert.ThrowsAsync<TaskFailedException>(() => handle.GetResultAsync(Wait));
        await Eventually.UntilAsync(() => rig.Failures.Count == 2, "both failure callbacks ran", Wait);
        Assert.Equal(["dependant", "own"], rig.Failures.Select(f => f.Label).Order(StringComparer.Ordinal));
        Assert.All(rig.Failures, f =>
        {
            Assert.Equal(handle.Id, f.Failure.WorkflowId);
            Assert.Equal($"{handle.Id}.0", f.Failure.TaskId);
            Assert.Equal("wf.fail", f.Failure.Actor);
            Assert.Equal(0, f.Failure.Step);
            Assert.Equal(DeadLetterReason.RetriesExhausted, f.Failure.Reason);
            Assert.Equal(typeof(InvalidOperationException).FullName, f.Failure.ErrorType);
            Assert.Contains("kaput boom", f.Failure.ErrorMessage, StringComparison.Ordinal);
        });
        Assert.Equal(0, rig.RunsOf("after"));
        Assert.Empty(rig.Successes);
    }

    [Fact]
    public async Task A_tolerant_group_passes_its_successes_in_order_and_fails_beyond_its_tolerance()
    {
        await using var rig = await StartAsync(concurrency: 8);

        var tolerated = await Workflow.Group(
            new IWorkflowStep<int>[] { rig.Add(null, 1), rig.Fail("t1"), rig.Add(null, 2), rig.Fail("t2"), rig.Add(null, 3) }, maxFailures: 2)
            .Then(rig.Join("joined")).SendAsync(rig.Client);
        var beyond = await Workflow.Group(
            new IWorkflowStep<int>[] { rig.Add(null, 1), rig.Fail("b1"), rig.Fail("b2"), rig.Add(null, 2), rig.Fail("b3") }, maxFailures: 2)
            .Then(rig.Join("never")).SendAsync(rig.Client);

        Assert.Equal("1,2,3", await tolerated.GetResultAsync(Wait));
        var failure = await Assert.ThrowsAsync<TaskFailedException>(() => beyond.GetResultAsync(Wait));
        Assert.Contains("kaput b", failure.Message, StringComparison.Ordinal);   // the member whose failure was one too many
        Assert.Equal(WorkflowState.Failed, (await beyond.GetWorkflowStatusAsync()).State);
        Assert.Equal(WorkflowState.Succeeded, (await tolerated.GetWorkflowStatusAsync()).State);
        Assert.Equal(0, rig.RunsOf("never"));
        Assert.Equal(1, rig.RunsOf("joined"));
    }

    [Fact]
    public async Task Cancelling_fires_the_running_step_token_and_later_steps_never_run()
    {
        await using var rig = await StartAsync();

        var handle = await rig.Block("first").Then(rig.AddTo("second", 1)).Then(rig.AddTo("third", 1)).SendAsync(rig.Client);
        await Eventually.UntilAsync(() => rig.Blocked.Contains("first"), "the first step runs", Wait);
        var running = await handle.GetWorkflowStatusAsync();
        Assert.Equal(WorkflowState.Running, running.State);
        Assert.Equal([WorkflowStepState.Queued, WorkflowStepState.Waiting, WorkflowStepState.Waiting], running.Steps.Select(s => s.State));

        Assert.Equal(CancelResult.Cancelled, await handle.CancelAsync());

        var cancelled = await Assert.ThrowsAsync<TaskFailedException>(() => handle.GetResultAsync(Wait));
        Assert.True(cancelled.IsCancelled);
        await Eventually.UntilAsync(() => rig.BlockCancelled.Contains("first"), "the running step's token fired", Wait);
        await Eventually.UntilAsync(
            async () => (await handle.GetWorkflowStatusAsync()).Steps[0].State == WorkflowStepState.Cancelled,
            "the cancelled step is reported cancelled", Wait);
        var status = await handle.GetWorkflowStatusAsync();
        Assert.Equal(WorkflowState.Cancelled, status.State);
        Assert.Equal([WorkflowStepState.Cancelled, WorkflowStepState.NotRun, WorkflowStepState.NotRun], status.Steps.Select(s => s.State));
        Assert.Equal(0, rig.RunsOf("second") + rig.RunsOf("third"));

        Assert.Equal(CancelResult.AlreadyCancelled, await handle.CancelAsync());
        Assert.Equal([WorkflowStepState.Cancelled, WorkflowStepState.NotRun, WorkflowStepState.NotRun], (await handle.GetWorkflowStatusAsync()).Steps.Select(s => s.State));
        Assert.Equal(0, rig.RunsOf("second") + rig.RunsOf("third"));
    }

    [Fact]
    public async Task Cancelling_a_fan_out_settles_every_member_and_the_chord_never_runs()
    {
        await using var rig = await StartAsync(concurrency: 1);

        // One worker, one at a time: the blocking member runs, the others wait in the queue behind it.
        var handle = await Workflow.Group([rig.Block("first"), .. Enumerable.Range(1, 5).Select(i => rig.Add($"m{i}", i))])
            .Then(rig.Sum("sum")).SendAsync(rig.Client);
        await Eventually.UntilAsync(() => rig.Blocked.Contains("first"), "the first member runs", Wait);

        Assert.Equal(CancelResult.Cancelled, await handle.CancelAsync());

        Assert.True((await Assert.ThrowsAsync<TaskFailedException>(() => handle.GetResultAsync(Wait))).IsCancelled);
        await Eventually.UntilAsync(() => rig.BlockCancelled.Contains("first"), "the running member's token fired", Wait);

        // Each queued member is skipped: the workflow's final state is decided before any step is cancelled, and a
        // worker reads it before it starts a step, so no announcement can arrive too late for a queued member.
        var status = await handle.GetWorkflowStatusAsync();
        await Eventually.UntilAsync(
            async () => (status = await handle.GetWorkflowStatusAsync()).Steps.Take(6).All(s => s.State is WorkflowStepState.Cancelled),
            "every member is cancelled", Wait);
        Assert.Equal(WorkflowState.Cancelled, status.State);
        Assert.Equal([WorkflowStepState.NotRun, WorkflowStepState.NotRun], status.Steps.Skip(6).Select(s => s.State));
        Assert.All(Enumerable.Range(1, 5), i => Assert.Equal(0, rig.RunsOf($"m{i}")));
        Assert.Equal(0, rig.RunsOf("sum"));
    }

    [Fact]
    public async Task Sending_with_the_same_workflow_id_again_is_a_duplicate_and_runs_once()
    {
        await using var rig = await StartAsync();
        var options = new WorkflowOptions { WorkflowId = "wf-e2e-" + Guid.NewGuid().ToString("N") };
        var workflow = rig.Add("a", 1, 1).Then(rig.AddTo("b", 1));

        var first = await workflow.SendAsync(rig.Client, options);
        var second = await workflow.SendAsync(rig.Client, options);

        Assert.False(first.IsDuplicate);
        Assert.True(second.IsDuplicate);
        Assert.Equal(options.WorkflowId, first.Id);
        Assert.Equal(first.Id, second.Id);
        Assert.Equal(3, await second.GetResultAsync(Wait));
        Assert.Equal(3, await first.GetResultAsync(Wait));
        Assert.True((await workflow.SendAsync(rig.Client, options)).IsDuplicate);
        Assert.Equal([1, 1], new[] { "a", "b" }.Select(rig.RunsOf));
    }

    [Fact]
    public async Task A_fan_out_of_ten_thousand_members_into_a_chord_completes_with_the_right_sum()
    {
        await using var rig = await StartAsync(workers: 2, concurrency: 32);
        var members = FanOutMembers;

        var handle = await Workflow.Group(Enumerable.Range(1, members).Select(i => rig.Add(null, i))).Then(rig.Sum("sum")).SendAsync(rig.Client);

        Assert.Equal(members * (members + 1) / 2, await handle.GetResultAsync(TimeSpan.FromSeconds(120)));
        Assert.Equal(1, rig.RunsOf("sum"));
        var status = await handle.GetWorkflowStatusAsync();
        Assert.Equal(members + 2, status.Steps.Count);
        Assert.All(status.Steps, s => Assert.Equal(WorkflowStepState.Succeeded, s.State));
    }

    [Fact]
    public async Task A_fan_out_of_ten_thousand_members_with_one_failure_fails_and_the_chord_never_runs()
    {
        await using var rig = await StartAsync(workers: 2, concurrency: 32);
        var members = FanOutMembers;

        var handle = await Workflow.Group(Enumerable.Range(1, members).Select(i => i == members / 2 ? rig.Fail("boom") : rig.Add(null, i)))
            .Then(rig.Sum("sum")).SendAsync(rig.Client);

        var failure = await Assert.ThrowsAsync<TaskFailedException>(() => handle.GetResultAsync(TimeSpan.FromSeconds(120)));
        Assert.Contains("kaput boom", failure.Message, StringComparison.Ordinal);

        // The members the failure cancelled or that finished after it hand over too: every one is settled in time.
        await Eventually.UntilAsync(
            async () => (await handle.GetWorkflowStatusAsync()).Steps.Take(members).All(s => s.State is not (WorkflowStepState.Queued or WorkflowStepState.Waiting)),
            "every member is settled", TimeSpan.FromSeconds(120));
        Assert.Equal(0, rig.RunsOf("sum"));
        Assert.Equal(WorkflowState.Failed, (await handle.GetWorkflowStatusAsync()).State);
    }
}
