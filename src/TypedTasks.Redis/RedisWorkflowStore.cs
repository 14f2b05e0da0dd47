using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using StackExchange.Redis;
using TypedTasks.Brokers;
using TypedTasks.Redis.Internal;

namespace TypedTasks.Redis;

/// <summary>
/// Workflow state in one hash per workflow, <c>P:wf:{ID}</c>: per step its definition (<c>n:i</c>), how many steps it
/// still waits for (<c>w:i</c>), how many of those failed (<c>f:i</c>) and its outcome (<c>o:i</c>); per workflow the
/// step count, the summary and the final state. The workflow id is the hash tag and every call names that key alone,
/// so on Cluster each script touches one slot; each write is one script (docs/redis.md, "Workflows").
/// </summary>
/// <remarks>
/// Every call but <see cref="CreateAsync"/> is a read or a first-wins write, so repeating one is harmless: they go
/// through <see cref="CommandRetry"/>, the policy for calls that must land, because a worker's hand-over (which makes
/// them) is not retried above the broker, and a hand-over that fails leaves its step to be redelivered and run again.
/// Creating is the client's send and fails like one (a <see cref="RedisConnectionException"/> to the caller): retried
/// here after a lost reply it would answer "taken" to the call that stored it. The caller sends the workflow again
/// instead, which the engine treats as a resend and uses to finish the start.
/// </remarks>
internal sealed class RedisWorkflowStore : IWorkflowStore
{
    private readonly IDatabase _db;
    private readonly RedisScripts _scripts;
    private readonly Keyspace _keys;
    private readonly CommandRetry _retry;

    public RedisWorkflowStore(IDatabase db, RedisScripts scripts, Keyspace keys, RedisBrokerOptions options)
    {
        _db = db;
        _scripts = scripts;
        _keys = keys;
        _retry = new CommandRetry(options, new OutageLog(options.Logger, "Workflow store", options.TimeProvider));
    }

    public async ValueTask<bool> CreateAsync(WorkflowDraft workflow, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        WireNames.ThrowIfInvalid(workflow.Id, "workflow id", nameof(workflow));
        ArgumentNullException.ThrowIfNull(workflow.Steps, nameof(workflow));
        ArgumentNullException.ThrowIfNull(workflow.Waiting, nameof(workflow));
        if (workflow.Steps.Count != workflow.Waiting.Count)
        {
            throw new ArgumentException($"Workflow {workflow.Id} has {workflow.Steps.Count} steps but {workflow.Waiting.Count} waiting counts; it needs one per step.", nameof(workflow));
        }

        var count = workflow.Steps.Count;
        var stepsAndWaiting = new RedisValue[2 * count];
        for (var i = 0; i < count; i++)
        {
            var waiting = workflow.Waiting[i];
            if (waiting < 0)
            {
                throw new ArgumentException($"Step {i} of workflow {workflow.Id} waits for {waiting} steps; a count cannot be negative.", nameof(workflow));
            }

            stepsAndWaiting[2 * i] = workflow.Steps[i];
            stepsAndWaiting[(2 * i) + 1] = waiting;
        }

        return await RedisFailures.Surfaced(_scripts.CreateWorkflowAsync(_keys.Workflow(workflow.Id), Milliseconds(timeToLive), count, workflow.Summary, stepsAndWaiting)).ConfigureAwait(false);
    }

    public async ValueTask<IReadOnlyList<ReadOnlyMemory<byte>>?> GetStepsAsync(string workflowId, IReadOnlyList<int>? steps, CancellationToken cancellationToken = default)
    {
        var key = _keys.Workflow(workflowId);
        if (steps is null)
        {
            var all = await RunAsync("reading a workflow's steps", (Scripts: _scripts, Key: key), static s => s.Scripts.WorkflowStepsAsync(s.Key), cancellationToken).ConfigureAwait(false);
            if (all.IsNull)
            {
                return null;
            }

            var items = (RedisResult[])all!;
            var definitions = new ReadOnlyMemory<byte>[items.Length];
            for (var i = 0; i < items.Length; i++)
            {
                definitions[i] = (byte[])items[i]! ?? [];
            }

            return definitions;
        }

        // The count first: a nil count tells "no workflow" from "no such step".
        var fields = new RedisValue[steps.Count + 1];
        fields[0] = Fields.WorkflowCount;
        for (var i = 0; i < steps.Count; i++)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(steps[i], nameof(steps));
            fields[i + 1] = WorkflowRecordCodec.StepField(Fields.WorkflowStepPrefix, steps[i]);
        }

        var values = await RunAsync("reading a workflow's steps", (Db: _db, Key: key, Fields: fields), static s => s.Db.HashGetAsync(s.Key, s.Fields), cancellationToken).ConfigureAwait(false);
        if (values[0].IsNull)
        {
            return null;
        }

        var selected = new ReadOnlyMemory<byte>[steps.Count];
        for (var i = 0; i < selected.Length; i++)
        {
            var value = values[i + 1];
            if (value.IsNull)
            {
                throw new ArgumentOutOfRangeException(nameof(steps), steps[i], $"Workflow {workflowId} has {(string?)values[0]} steps; there is no step {steps[i]}.");
            }

            selected[i] = (byte[])value!;
        }

        return selected;
    }

    public async ValueTask<WorkflowStepCompletion> CompleteStepAsync(string workflowId, int step, TaskOutcome outcome, IReadOnlyList<int> dependants, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(dependants);
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        var key = _keys.Workflow(workflowId);
        var state = (Scripts: _scripts, Key: key, Ttl: Milliseconds(timeToLive), Step: step, Outcome: WorkflowRecordCodec.EncodeOutcome(outcome), Failed: !outcome.Succeeded, Dependants: dependants);
        var result = await RunAsync(
            "recording a workflow step's outcome",
            state,
            static s => s.Scripts.CompleteWorkflowStepAsync(s.Key, s.Ttl, s.Step, s.Outcome, s.Failed, s.Dependants),
            cancellationToken).ConfigureAwait(false);
        if (result.IsNull)
        {
            return new WorkflowStepCompletion(false, null, [], []);
        }

        if (result.Resp2Type == ResultType.Integer)
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, $"Step {step} or one of its dependants [{string.Join(", ", dependants)}] is not a step of workflow {workflowId}; nothing was recorded.");
        }

        var items = (RedisResult[])result!;
        var waiting = new int[dependants.Count];
        var failures = new int[dependants.Count];
        for (var i = 0; i < dependants.Count; i++)
        {
            waiting[i] = (int)items[1 + (2 * i)];
            failures[i] = (int)items[2 + (2 * i)];
        }

        return new WorkflowStepCompletion(true, WorkflowRecordCodec.DecodeFinal((RedisValue)items[0], workflowId), waiting, failures);
    }

    public async ValueTask<IReadOnlyList<TaskOutcome?>> GetOutcomesAsync(string workflowId, IReadOnlyList<int> steps, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var key = _keys.Workflow(workflowId);
        // The count first: a step at or past it is refused, as GetStepsAsync does; a nil count means no workflow.
        var fields = new RedisValue[steps.Count + 1];
        fields[0] = Fields.WorkflowCount;
        for (var i = 0; i < steps.Count; i++)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(steps[i], nameof(steps));
            fields[i + 1] = WorkflowRecordCodec.StepField(Fields.WorkflowOutcomePrefix, steps[i]);
        }

        var values = await RunAsync("reading workflow steps' outcomes", (Db: _db, Key: key, Fields: fields), static s => s.Db.HashGetAsync(s.Key, s.Fields), cancellationToken).ConfigureAwait(false);
        var outcomes = new TaskOutcome?[steps.Count];
        if (values[0].IsNull)
        {
            return outcomes;
        }

        var count = (int)values[0];
        for (var i = 0; i < outcomes.Length; i++)
        {
            if (steps[i] >= count)
            {
                throw new ArgumentOutOfRangeException(nameof(steps), steps[i], $"Workflow {workflowId} has {count} steps; there is no step {steps[i]}.");
            }

            outcomes[i] = WorkflowRecordCodec.DecodeOutcome(values[i + 1], workflowId, steps[i]);
        }

        return outcomes;
    }

    public async ValueTask<WorkflowFinalState?> FinishAsync(string workflowId, WorkflowFinalState final, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(final);
        var key = _keys.Workflow(workflowId);
        var state = (Scripts: _scripts, Key: key, Ttl: Milliseconds(timeToLive), Final: WorkflowRecordCodec.EncodeFinal(final));
        var result = await RunAsync("deciding a workflow's final state", state, static s => s.Scripts.FinishWorkflowAsync(s.Key, s.Ttl, s.Final), cancellationToken).ConfigureAwait(false);
        return result.IsNull ? null : WorkflowRecordCodec.DecodeFinal((RedisValue)result, workflowId);
    }

    public async ValueTask<WorkflowFinalState?> GetFinalAsync(string workflowId, CancellationToken cancellationToken = default)
    {
        var key = _keys.Workflow(workflowId);
        var value = await RunAsync("reading a workflow's final state", (Db: _db, Key: key), static s => s.Db.HashGetAsync(s.Key, Fields.WorkflowFinal), cancellationToken).ConfigureAwait(false);
        return WorkflowRecordCodec.DecodeFinal(value, workflowId);
    }

    public async ValueTask<WorkflowSnapshot?> GetSnapshotAsync(string workflowId, CancellationToken cancellationToken = default)
    {
        var key = _keys.Workflow(workflowId);
        var result = await RunAsync("reading a workflow", (Scripts: _scripts, Key: key), static s => s.Scripts.WorkflowSnapshotAsync(s.Key), cancellationToken).ConfigureAwait(false);
        if (result.IsNull)
        {
            return null;
        }

        var items = (RedisResult[])result!;
        var count = (items.Length - 2) / 2;
        var waiting = new int[count];
        var outcomes = new TaskOutcome?[count];
        for (var i = 0; i < count; i++)
        {
            waiting[i] = (int)items[2 + (2 * i)];
            outcomes[i] = WorkflowRecordCodec.DecodeOutcome((RedisValue)items[3 + (2 * i)], workflowId, i);
        }

        return new WorkflowSnapshot((byte[])items[0]! ?? [], WorkflowRecordCodec.DecodeFinal((RedisValue)items[1], workflowId), waiting, outcomes);
    }

    private Task<T> RunAsync<TState, T>(string operation, TState state, Func<TState, Task<T>> call, CancellationToken cancellationToken) =>
        RedisFailures.Surfaced(_retry.RunAsync(operation, state, call, cancellationToken));

    private static long Milliseconds(TimeSpan timeToLive)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeToLive, TimeSpan.Zero);
        return Math.Max(1, (long)timeToLive.TotalMilliseconds);
    }
}
