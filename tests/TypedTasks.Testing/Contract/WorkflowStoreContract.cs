using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using TypedTasks.Brokers;

namespace TypedTasks.Testing;

/// <summary>
/// The workflow store contract (<see cref="IWorkflowStore"/>, <see cref="ITaskBroker.Workflows"/>), stated by behaviour
/// only: the in-memory broker (TypedTasks.Tests), a standalone redis-server and a three-master Cluster
/// (TypedTasks.Redis.Tests) each run it. The engine's hand-over is safe to repeat only because of what is checked here:
/// a step's outcome is recorded once (the first wins) and counts the step off each dependant once, however often and
/// by however many workers the call is repeated; the final state is first-wins; nothing outlives its time to live.
/// </summary>
/// <remarks>
/// Time: each runner says how the store's clock passes (<see cref="LetTimePassAsync"/>): the in-memory runner advances
/// a fake clock, the Redis runners wait on the real one, so the times to live here are seconds. The seeded cases read
/// <c>TYPEDTASKS_SEED</c> when set and print their seed when they fail.
/// </remarks>
public abstract class WorkflowStoreContract
{
    /// <summary>Long enough never to expire during a case that is not about expiry.</summary>
    protected static readonly TimeSpan Long = TimeSpan.FromHours(1);

    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeMilliseconds(1_764_000_000_123);

    /// <summary>A fresh broker whose store shares no workflows with any other case.</summary>
    protected abstract ITaskBroker CreateBroker();

    /// <summary>Another broker on the same store through a connection of its own (another worker process); the
    /// in-memory broker has no connection, so its runner returns the same broker.</summary>
    protected abstract Task<ITaskBroker> CreatePeerAsync(ITaskBroker broker);

    /// <summary>Lets <paramref name="duration"/> pass on the store's clock.</summary>
    protected abstract Task LetTimePassAsync(TimeSpan duration);

    [Fact]
    public async Task A_workflow_is_stored_once_and_a_second_create_under_its_id_changes_nothing()
    {
        await using var broker = CreateBroker();
        var store = Store(broker);
        var plan = Plan.Of([], [0], [0, 1]);
        var draft = plan.Draft(NewId(), "first");

        Assert.True(await store.CreateAsync(draft, Long));
        await store.CompleteStepAsync(draft.Id, 0, Success(0), plan.Dependants[0], Long);
        var before = await store.GetSnapshotAsync(draft.Id);

        var other = Plan.Of([], [], [], []).Draft(draft.Id, "second");
        Assert.False(await store.CreateAsync(other, Long));
        Assert.False(await store.CreateAsync(draft, Long));

        AssertSteps(draft.Steps, await store.GetStepsAsync(draft.Id, null));
        var after = await store.GetSnapshotAsync(draft.Id);
        AssertSameSnapshot(before, after);
        Assert.Equal("first", Encoding.UTF8.GetString(after!.Summary.Span));
        Assert.Equal([0, 0, 1], after.Waiting);
    }

    [Fact]
    public async Task Steps_read_back_byte_exact_in_the_order_asked_and_all_in_index_order()
    {
        await using var broker = CreateBroker();
        var store = Store(broker);
        var id = NewId();
        ReadOnlyMemory<byte>[] steps =
        [
            new byte[] { 0, 255, 10, 13, (byte)':', 0 },
            Array.Empty<byte>(),
            Encoding.UTF8.GetBytes("{\"actor\":\"é:ü\",\"n\":[1,2]}"),
            Enumerable.Range(0, 70_000).Select(i => (byte)(i * 31)).ToArray(),
        ];
        var summary = new byte[] { 1, 0, 2, 255 };
        Assert.True(await store.CreateAsync(new WorkflowDraft(id, steps, [0, 1, 1, 2], summary), Long));

        AssertSteps(steps, await store.GetStepsAsync(id, null));
        AssertSteps([steps[3], steps[0], steps[3], steps[1]], await store.GetStepsAsync(id, [3, 0, 3, 1]));
        AssertSteps([], await store.GetStepsAsync(id, []));
        var snapshot = await store.GetSnapshotAsync(id);
        Assert.NotNull(snapshot);
        Assert.Equal(summary, snapshot.Summary.ToArray());
        Assert.Equal([0, 1, 1, 2], snapshot.Waiting);
        Assert.All(snapshot.Outcomes, o => Assert.Null(o));
        Assert.Null(snapshot.Final);
    }

    [Fact]
    public async Task An_unknown_workflow_is_answered_as_not_found_and_nothing_is_created()
    {
        await using var broker = CreateBroker();
        var store = Store(broker);
        var id = NewId();

        Assert.Null(await store.GetStepsAsync(id, null));
        Assert.Null(await store.GetStepsAsync(id, [0]));
        Assert.Null(await store.GetSnapshotAsync(id));
        Assert.Null(await store.GetFinalAsync(id));
        Assert.Equal([null, null], await store.GetOutcomesAsync(id, [0, 1]));
        Assert.False((await store.CompleteStepAsync(id, 0, Success(0), [1], Long)).Found);
        Assert.Null(await store.FinishAsync(id, new WorkflowFinalState(WorkflowState.Succeeded, 1, null), Long));

        // Neither the completion nor the finish left anything behind: the id is still free.
        Assert.Null(await store.GetSnapshotAsync(id));
        Assert.Equal([null], await store.GetOutcomesAsync(id, [0]));
        Assert.True(await store.CreateAsync(Plan.Of([], [0]).Draft(id, "s"), Long));
        Assert.Equal([null, null], (await store.GetSnapshotAsync(id))!.Outcomes);
    }

    [Fact]
    public async Task Completing_a_step_is_first_wins_and_counts_it_off_each_dependant_once()
    {
        await using var broker = CreateBroker();
        var store = Store(broker);
        // A diamond: 0 → 1, 0 → 2, {1, 2} → 3.
        var plan = Plan.Of([], [0], [0], [1, 2]);
        var id = NewId();
        await store.CreateAsync(plan.Draft(id, "s"), Long);
        var first = Success(0, "\"first\"");

        var answer = await store.CompleteStepAsync(id, 0, first, [1, 2], Long);
        AssertCompletion(answer, waiting: [0, 0], failures: [0, 0]);

        // Repeated, with the same or another outcome: the same answer, nothing counted again, the first outcome stays.
        AssertCompletion(await store.CompleteStepAsync(id, 0, first, [1, 2], Long), waiting: [0, 0], failures: [0, 0]);
        AssertCompletion(await store.CompleteStepAsync(id, 0, Failure(0, "late"), [1, 2], Long), waiting: [0, 0], failures: [0, 0]);
        AssertSameOutcome(first, (await store.GetOutcomesAsync(id, [0]))[0]);

        AssertCompletion(await store.CompleteStepAsync(id, 1, Success(1), [3], Long), waiting: [1], failures: [0]);
        AssertCompletion(await store.CompleteStepAsync(id, 1, Success(1), [3], Long), waiting: [1], failures: [0]);
        AssertCompletion(await store.CompleteStepAsync(id, 2, Success(2), [3], Long), waiting: [0], failures: [0]);
        Assert.Equal([0, 0, 0, 0], (await store.GetSnapshotAsync(id))!.Waiting);

        // A step without dependants records its outcome and answers empty lists.
        AssertCompletion(await store.CompleteStepAsync(id, 3, Success(3), [], Long), waiting: [], failures: []);
        var outcomes = await store.GetOutcomesAsync(id, [3, 1, 0, 3]);
        AssertSameOutcome(Success(3), outcomes[0]);
        AssertSameOutcome(Success(1), outcomes[1]);
        AssertSameOutcome(first, outcomes[2]);
        AssertSameOutcome(Success(3), outcomes[3]);
    }

    [Fact]
    public async Task Failed_steps_are_counted_once_per_dependant_and_their_errors_read_back_whole()
    {
        await using var broker = CreateBroker();
        var store = Store(broker);
        // A group of three members (step 3) and a step after one member (step 4).
        var plan = Plan.Of([], [], [], [0, 1, 2], [1]);
        var id = NewId();
        await store.CreateAsync(plan.Draft(id, "s"), Long);
        var failed = new TaskOutcome(false, ReadOnlyMemory<byte>.Empty, new TaskError(DeadLetterReason.RetriesExhausted, "System.IO.IOException", "disk: \"full\" é", "at X()\n  at Y()"), At);
        var cancelled = new TaskOutcome(false, ReadOnlyMemory<byte>.Empty, TaskError.ForCancellation(), At.AddSeconds(1));

        AssertCompletion(await store.CompleteStepAsync(id, 1, failed, [3, 4], Long), waiting: [2, 0], failures: [1, 1]);
        AssertCompletion(await store.CompleteStepAsync(id, 1, failed, [3, 4], Long), waiting: [2, 0], failures: [1, 1]);
        AssertCompletion(await store.CompleteStepAsync(id, 1, Success(1), [3, 4], Long), waiting: [2, 0], failures: [1, 1]);
        AssertCompletion(await store.CompleteStepAsync(id, 0, Success(0), [3], Long), waiting: [1], failures: [1]);
        AssertCompletion(await store.CompleteStepAsync(id, 2, cancelled, [3], Long), waiting: [0], failures: [2]);
        AssertCompletion(await store.CompleteStepAsync(id, 0, failed, [3], Long), waiting: [0], failures: [2]);

        var outcomes = (await store.GetSnapshotAsync(id))!.Outcomes;
        AssertSameOutcome(Success(0), outcomes[0]);
        AssertSameOutcome(failed, outcomes[1]);
        AssertSameOutcome(cancelled, outcomes[2]);
        Assert.Null(outcomes[3]);
        Assert.Null(outcomes[4]);
    }

    [Fact]
    public async Task The_final_state_is_first_wins_and_every_later_answer_reports_it()
    {
        await using var broker = CreateBroker();
        var store = Store(broker);
        var plan = Plan.Of([], [0], [1]);
        var id = NewId();
        await store.CreateAsync(plan.Draft(id, "s"), Long);
        var failed = new WorkflowFinalState(WorkflowState.Failed, 1, new TaskError(DeadLetterReason.NonRetryable, "Boom", "step 1 failed", "trace"));

        Assert.Null((await store.CompleteStepAsync(id, 0, Success(0), [1], Long)).Final);
        Assert.Null(await store.GetFinalAsync(id));
        Assert.Equal(failed, await store.FinishAsync(id, failed, Long));
        Assert.Equal(failed, await store.GetFinalAsync(id));
        Assert.Equal(failed, await store.FinishAsync(id, new WorkflowFinalState(WorkflowState.Succeeded, 2, null), Long));
        Assert.Equal(failed, await store.FinishAsync(id, new WorkflowFinalState(WorkflowState.Cancelled, -1, TaskError.ForCancellation()), Long));

        Assert.Equal(failed, (await store.CompleteStepAsync(id, 0, Success(0), [1], Long)).Final);
        // A step completing after the decision is still recorded and counted: the store keeps facts, the engine decides.
        var late = await store.CompleteStepAsync(id, 1, Success(1), [2], Long);
        Assert.Equal(failed, late.Final);
        AssertCompletion(late, waiting: [0], failures: [0]);
        Assert.Equal(failed, (await store.GetSnapshotAsync(id))!.Final);

        var cancelledId = NewId();
        await store.CreateAsync(plan.Draft(cancelledId, "s"), Long);
        var cancelled = new WorkflowFinalState(WorkflowState.Cancelled, -1, TaskError.ForCancellation());
        Assert.Equal(cancelled, await store.FinishAsync(cancelledId, cancelled, Long));
        Assert.Equal(cancelled, await store.GetFinalAsync(cancelledId));
        var succeeded = NewId();
        await store.CreateAsync(plan.Draft(succeeded, "s"), Long);
        var done = new WorkflowFinalState(WorkflowState.Succeeded, 2, null);
        Assert.Equal(done, await store.FinishAsync(succeeded, done, Long));
        Assert.Equal(done, (await store.GetSnapshotAsync(succeeded))!.Final);
    }

    [Fact]
    public async Task The_snapshot_shows_the_summary_every_count_every_outcome_and_the_final_state()
    {
        await using var broker = CreateBroker();
        var store = Store(broker);
        var plan = Plan.Of([], [], [0, 1], [2], [0]);
        var id = NewId();
        await store.CreateAsync(plan.Draft(id, "the summary"), Long);

        var start = await store.GetSnapshotAsync(id);
        Assert.NotNull(start);
        Assert.Equal("the summary", Encoding.UTF8.GetString(start.Summary.Span));
        Assert.Equal([0, 0, 2, 1, 1], start.Waiting);
        Assert.Equal(new TaskOutcome?[5], start.Outcomes);
        Assert.Null(start.Final);

        await store.CompleteStepAsync(id, 0, Success(0), plan.Dependants[0], Long);
        await store.CompleteStepAsync(id, 1, Failure(1, "no"), plan.Dependants[1], Long);
        var final = new WorkflowFinalState(WorkflowState.Failed, 1, new TaskError(DeadLetterReason.RetriesExhausted, "T", "no"));
        await store.FinishAsync(id, final, Long);

        var later = await store.GetSnapshotAsync(id);
        Assert.NotNull(later);
        Assert.Equal("the summary", Encoding.UTF8.GetString(later.Summary.Span));
        Assert.Equal([0, 0, 0, 1, 0], later.Waiting);
        AssertSameOutcome(Success(0), later.Outcomes[0]);
        AssertSameOutcome(Failure(1, "no"), later.Outcomes[1]);
        Assert.Null(later.Outcomes[2]);
        Assert.Equal(final, later.Final);
    }

    [Fact]
    public async Task A_step_outside_the_workflow_is_refused_and_nothing_changes()
    {
        await using var broker = CreateBroker();
        var store = Store(broker);
        var plan = Plan.Of([], [0]);
        var id = NewId();
        await store.CreateAsync(plan.Draft(id, "s"), Long);
        var before = await store.GetSnapshotAsync(id);

        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await store.CompleteStepAsync(id, 2, Success(2), [], Long));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await store.CompleteStepAsync(id, -1, Success(0), [1], Long));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await store.CompleteStepAsync(id, 0, Success(0), [1, 5], Long));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await store.GetStepsAsync(id, [0, 2]));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await store.GetOutcomesAsync(id, [0, 2]));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await store.CreateAsync(new WorkflowDraft(NewId(), [new byte[] { 1 }], [0, 0], ReadOnlyMemory<byte>.Empty), Long));

        AssertSameSnapshot(before, await store.GetSnapshotAsync(id));
        AssertCompletion(await store.CompleteStepAsync(id, 0, Success(0), [1], Long), waiting: [0], failures: [0]);
    }

    [Fact]
    public async Task Completing_renews_the_time_to_live_without_shortening_it_finishing_sets_it_and_expiry_removes_everything()
    {
        await using var broker = CreateBroker();
        var store = Store(broker);
        var ttl = TimeSpan.FromSeconds(3);
        var plan = Plan.Of([], [0], [1]);
        var (kept, forgotten) = (NewId(), NewId());
        await store.CreateAsync(plan.Draft(kept, "s"), ttl);
        await store.CreateAsync(plan.Draft(forgotten, "s"), ttl);

        await LetTimePassAsync(TimeSpan.FromSeconds(2));
        AssertCompletion(await store.CompleteStepAsync(kept, 0, Success(0), [1], ttl), waiting: [0], failures: [0]);
        // Renewing never shortens: a repeat with a shorter time to live leaves the three seconds just given.
        AssertCompletion(await store.CompleteStepAsync(kept, 0, Success(0), [1], TimeSpan.FromMilliseconds(200)), waiting: [0], failures: [0]);
        await LetTimePassAsync(TimeSpan.FromSeconds(2));

        // Four seconds after both were created: only the one whose step completed at two seconds is left.
        await AssertGoneAsync(store, forgotten);
        var snapshot = await store.GetSnapshotAsync(kept);
        Assert.NotNull(snapshot);
        Assert.Equal([0, 0, 1], snapshot.Waiting);
        AssertSameOutcome(Success(0), snapshot.Outcomes[0]);

        // Finishing sets the time to live it is given, here shorter than what was left.
        var final = new WorkflowFinalState(WorkflowState.Cancelled, -1, TaskError.ForCancellation());
        Assert.Equal(final, await store.FinishAsync(kept, final, TimeSpan.FromSeconds(1)));
        await LetTimePassAsync(TimeSpan.FromSeconds(1.5));
        await AssertGoneAsync(store, kept);

        // Gone means gone: the id can be used again, from scratch.
        Assert.True(await store.CreateAsync(plan.Draft(kept, "again"), Long));
        Assert.Equal([0, 1, 1], (await store.GetSnapshotAsync(kept))!.Waiting);
    }

    [Fact]
    public async Task Ten_thousand_members_completed_by_concurrent_peers_count_their_group_down_to_zero_exactly_once()
    {
        const int Members = 10_000;
        const int Group = Members;
        await using var broker = CreateBroker();
        var dependsOn = new int[Members + 1][];
        for (var i = 0; i < Members; i++)
        {
            dependsOn[i] = [];
        }

        dependsOn[Group] = Enumerable.Range(0, Members).ToArray();
        var plan = new Plan(dependsOn);
        var draft = plan.Draft(NewId(), "big");
        Assert.True(await Store(broker).CreateAsync(draft, Long));
        AssertSteps(draft.Steps, await Store(broker).GetStepsAsync(draft.Id, null));

        var peers = new List<ITaskBroker> { broker };
        try
        {
            for (var i = 0; i < 3; i++)
            {
                peers.Add(await CreatePeerAsync(broker));
            }

            // Every tenth member fails. Each peer completes its quarter in concurrent batches; all peers at once.
            var answers = new ConcurrentBag<int>();
            await Task.WhenAll(peers.Select((peer, p) => Task.Run(async () =>
            {
                var store = Store(peer);
                var mine = Enumerable.Range(0, Members).Where(m => m % peers.Count == p).ToArray();
                foreach (var batch in mine.Chunk(100))
                {
                    var completions = await Task.WhenAll(batch.Select(m => store.CompleteStepAsync(
                        draft.Id, m, m % 10 == 0 ? Failure(m, "member") : Success(m), [Group], Long).AsTask()));
                    foreach (var completion in completions)
                    {
                        Assert.True(completion.Found);
                        answers.Add(completion.Waiting[0]);
                    }
                }
            })));

            // Each completion counted the group down by one, atomically: every count from 9,999 to 0 was answered once.
            Assert.Equal(Enumerable.Range(0, Members), answers.Order());
            var again = await Store(peers[1]).CompleteStepAsync(draft.Id, 7, Failure(7, "late"), [Group], Long);
            AssertCompletion(again, waiting: [0], failures: [Members / 10]);
            var snapshot = await Store(broker).GetSnapshotAsync(draft.Id);
            Assert.NotNull(snapshot);
            Assert.All(snapshot.Waiting, w => Assert.Equal(0, w));
            Assert.Equal(Members, snapshot.Outcomes.Count(o => o is not null));
            Assert.Null(snapshot.Outcomes[Group]);
            AssertSameOutcome(Success(7), snapshot.Outcomes[7]);
            AssertSameOutcome(Failure(9990, "member"), snapshot.Outcomes[9990]);
        }
        finally
        {
            foreach (var peer in peers.Skip(1).Where(p => !ReferenceEquals(p, broker)))
            {
                await peer.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Random_workflows_completed_in_random_orders_by_concurrent_peers_keep_every_count_and_first_outcome()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("TYPEDTASKS_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s)
            ? s
            : Random.Shared.Next();
        await using var broker = CreateBroker();
        var peers = new List<ITaskBroker> { broker };
        try
        {
            for (var i = 0; i < 3; i++)
            {
                peers.Add(await CreatePeerAsync(broker));
            }

            var random = new Random(seed);
            for (var round = 0; round < 8; round++)
            {
                await RunRandomRoundAsync(random, peers.Take(random.Next(2, 5)).Select(Store).ToArray(), $"seed {seed}, round {round}");
            }
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException($"Failed with seed {seed} (repeat it with TYPEDTASKS_SEED={seed}): {ex.Message}", ex);
        }
        finally
        {
            foreach (var peer in peers.Skip(1).Where(p => !ReferenceEquals(p, broker)))
            {
                await peer.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// One random workflow: a DAG of up to 30 steps, each depending on up to four distinct earlier ones. About three
    /// steps in four are completed, each one to three times with different outcomes (successes and failures), the calls
    /// shuffled and dealt to the peers, which make theirs one after another while all peers run at once. Then the
    /// invariant: a step's waiting count is the number of its dependencies without an outcome, its failure count the
    /// number that failed, and each outcome is one whose call started before any call for that step had returned.
    /// </summary>
    private static async Task RunRandomRoundAsync(Random random, IWorkflowStore[] peers, string because)
    {
        var count = random.Next(1, 31);
        var dependsOn = new int[count][];
        for (var i = 0; i < count; i++)
        {
            dependsOn[i] = Enumerable.Range(0, i).OrderBy(_ => random.Next()).Take(random.Next(0, Math.Min(i, 4) + 1)).Order().ToArray();
        }

        var plan = new Plan(dependsOn);
        var id = NewId();
        Assert.True(await peers[0].CreateAsync(plan.Draft(id, because), Long), because);

        var calls = new List<Call>();
        for (var step = 0; step < count; step++)
        {
            if (random.Next(4) == 0)
            {
                continue;
            }

            for (var k = random.Next(1, 4); k > 0; k--)
            {
                calls.Add(new Call(step, random.Next(3) == 0 ? Failure(step, $"call {k}") : Success(step, $"{{\"k\":{k}}}")));
            }
        }

        var shuffled = calls.OrderBy(_ => random.Next()).ToArray();
        var dealt = peers.Select(_ => new List<Call>()).ToArray();
        foreach (var call in shuffled)
        {
            dealt[random.Next(peers.Length)].Add(call);
        }

        var clock = 0;
        await Task.WhenAll(dealt.Select((mine, p) => Task.Run(async () =>
        {
            foreach (var call in mine)
            {
                call.Started = Interlocked.Increment(ref clock);
                call.Answer = await peers[p].CompleteStepAsync(id, call.Step, call.Outcome, plan.Dependants[call.Step], Long);
                call.Returned = Interlocked.Increment(ref clock);
            }
        })));

        var snapshot = await peers[^1].GetSnapshotAsync(id);
        Assert.NotNull(snapshot);
        for (var step = 0; step < count; step++)
        {
            var mine = calls.Where(c => c.Step == step).ToArray();
            if (mine.Length == 0)
            {
                Assert.True(snapshot.Outcomes[step] is null, $"{because}: step {step} was never completed but has an outcome");
            }
            else
            {
                var firstReturn = mine.Min(c => c.Returned);
                var candidates = mine.Where(c => c.Started < firstReturn).Select(c => c.Outcome).ToArray();
                Assert.True(
                    candidates.Any(c => SameOutcome(c, snapshot.Outcomes[step])),
                    $"{because}: step {step}'s outcome is not one whose call could have come first");
            }

            var expected = dependsOn[step].Count(d => snapshot.Outcomes[d] is null);
            Assert.True(expected == snapshot.Waiting[step], $"{because}: step {step} waits for {snapshot.Waiting[step]}, expected {expected} (depends on [{string.Join(", ", dependsOn[step])}])");
        }

        foreach (var call in calls)
        {
            Assert.True(call.Answer!.Found, because);
            for (var j = 0; j < plan.Dependants[call.Step].Length; j++)
            {
                var dependant = plan.Dependants[call.Step][j];
                Assert.True(call.Answer.Waiting[j] >= snapshot.Waiting[dependant] && call.Answer.Waiting[j] < dependsOn[dependant].Length, $"{because}: completing {call.Step} answered {call.Answer.Waiting[j]} waiting for {dependant}");
            }
        }

        // Repeating every completion, from any peer, answers the final counts and changes nothing.
        foreach (var step in calls.Select(c => c.Step).Distinct().OrderBy(_ => random.Next()).ToArray())
        {
            var answer = await peers[random.Next(peers.Length)].CompleteStepAsync(id, step, Success(step, "\"repeat\""), plan.Dependants[step], Long);
            for (var j = 0; j < plan.Dependants[step].Length; j++)
            {
                var dependant = plan.Dependants[step][j];
                var waiting = dependsOn[dependant].Count(d => snapshot.Outcomes[d] is null);
                var failures = dependsOn[dependant].Count(d => snapshot.Outcomes[d] is { Succeeded: false });
                Assert.True(waiting == answer.Waiting[j], $"{because}: repeating {step} answered {answer.Waiting[j]} waiting for {dependant}, expected {waiting}");
                Assert.True(failures == answer.Failures[j], $"{because}: repeating {step} answered {answer.Failures[j]} failures for {dependant}, expected {failures}");
            }
        }

        AssertSameSnapshot(snapshot, await peers[0].GetSnapshotAsync(id), because);
    }

    private static IWorkflowStore Store(ITaskBroker broker) =>
        broker.Workflows ?? throw new InvalidOperationException($"{broker.GetType().Name} has no workflow store.");

    private static string NewId() => "wf-" + TaskId.NewId();

    private static TaskOutcome Success(int step, string? json = null) =>
        new(true, Encoding.UTF8.GetBytes(json ?? $"{{\"step\":{step}}}"), null, At.AddMilliseconds(step));

    private static TaskOutcome Failure(int step, string message) =>
        new(false, ReadOnlyMemory<byte>.Empty, new TaskError(DeadLetterReason.RetriesExhausted, "System.InvalidOperationException", message, $"at Step{step}()"), At.AddMilliseconds(step));

    private static bool SameOutcome(TaskOutcome expected, TaskOutcome? actual) =>
        actual is not null
        && expected.Succeeded == actual.Succeeded
        && expected.Value.Span.SequenceEqual(actual.Value.Span)
        && Equals(expected.Error, actual.Error)
        && expected.CompletedAt == actual.CompletedAt;

    private static void AssertSameOutcome(TaskOutcome expected, TaskOutcome? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Succeeded, actual.Succeeded);
        Assert.Equal(expected.Value.ToArray(), actual.Value.ToArray());
        Assert.Equal(expected.Error, actual.Error);
        Assert.Equal(expected.CompletedAt, actual.CompletedAt);
    }

    private static void AssertSteps(IReadOnlyList<ReadOnlyMemory<byte>> expected, IReadOnlyList<ReadOnlyMemory<byte>>? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.True(expected[i].Span.SequenceEqual(actual[i].Span), $"step {i} read back {actual[i].Length} bytes that differ from the {expected[i].Length} stored");
        }
    }

    private static void AssertCompletion(WorkflowStepCompletion answer, int[] waiting, int[] failures)
    {
        Assert.True(answer.Found);
        Assert.Equal(waiting, answer.Waiting);
        Assert.Equal(failures, answer.Failures);
    }

    private static void AssertSameSnapshot(WorkflowSnapshot? expected, WorkflowSnapshot? actual, string because = "")
    {
        Assert.NotNull(expected);
        Assert.NotNull(actual);
        Assert.True(expected.Summary.Span.SequenceEqual(actual.Summary.Span), because);
        Assert.Equal(expected.Final, actual.Final);
        Assert.True(expected.Waiting.SequenceEqual(actual.Waiting), $"{because}: waiting [{string.Join(", ", expected.Waiting)}] became [{string.Join(", ", actual.Waiting)}]");
        Assert.Equal(expected.Outcomes.Count, actual.Outcomes.Count);
        for (var i = 0; i < expected.Outcomes.Count; i++)
        {
            Assert.True(
                expected.Outcomes[i] is null ? actual.Outcomes[i] is null : SameOutcome(expected.Outcomes[i]!, actual.Outcomes[i]),
                $"{because}: step {i}'s outcome changed");
        }
    }

    private static async Task AssertGoneAsync(IWorkflowStore store, string id)
    {
        Assert.Null(await store.GetSnapshotAsync(id));
        Assert.Null(await store.GetStepsAsync(id, null));
        Assert.Equal([null], await store.GetOutcomesAsync(id, [0]));
        Assert.False((await store.CompleteStepAsync(id, 1, Success(1), [2], Long)).Found);
        Assert.Null(await store.FinishAsync(id, new WorkflowFinalState(WorkflowState.Succeeded, 2, null), Long));
        Assert.Null(await store.GetSnapshotAsync(id));
    }

    /// <summary>A workflow's shape: what each step depends on, and from that what depends on each step.</summary>
    private sealed class Plan
    {
        public Plan(int[][] dependsOn)
        {
            DependsOn = dependsOn;
            var dependants = dependsOn.Select(_ => new List<int>()).ToArray();
            for (var i = 0; i < dependsOn.Length; i++)
            {
                foreach (var d in dependsOn[i])
                {
                    dependants[d].Add(i);
                }
            }

            Dependants = dependants.Select(d => d.ToArray()).ToArray();
        }

        public int[][] DependsOn { get; }

        public int[][] Dependants { get; }

        public static Plan Of(params int[][] dependsOn) => new(dependsOn);

        /// <summary>Distinct definitions with bytes JSON never has (0, 255), so a store that treats them as text fails.</summary>
        public WorkflowDraft Draft(string id, string summary) => new(
            id,
            DependsOn.Select((_, i) => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes($"def {i} {id}").Concat(new byte[] { 0, 255, (byte)i }).ToArray()).ToArray(),
            DependsOn.Select(d => d.Length).ToArray(),
            Encoding.UTF8.GetBytes(summary));
    }

    /// <summary>One completion of the random rounds, with when it started and returned on a shared counter.</summary>
    private sealed class Call(int step, TaskOutcome outcome)
    {
        public int Step { get; } = step;

        public TaskOutcome Outcome { get; } = outcome;

        public int Started { get; set; }

        public int Returned { get; set; }

        public WorkflowStepCompletion? Answer { get; set; }
    }
}
