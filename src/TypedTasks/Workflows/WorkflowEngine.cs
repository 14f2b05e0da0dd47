using System;
using System.Buffers;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using TypedTasks.Brokers;
using TypedTasks.Generated;

namespace TypedTasks.Workflows;

/// <summary>
/// Runs workflows on any broker that has an <see cref="IWorkflowStore"/>: stores a workflow and enqueues its first
/// steps (<see cref="StartAsync"/>), hands a finished step over to its dependants (<see cref="HandOverAsync"/>, called
/// by the worker before it settles the step's delivery), cancels, and reads status.
/// </summary>
/// <remarks>
/// The hand-over never spans two places atomically, so that on Redis Cluster no script touches both a workflow's keys
/// and a queue's. It is safe to repeat instead: recording a step's outcome is first-wins and counts the step off its
/// dependants once; a dependant is sent when its count is zero, under the deterministic id <c>{workflow}.{step}</c>,
/// which the broker stores once; deciding the final state is first-wins. The worker settles (acks or dead-letters) a
/// step's delivery only after its hand-over completed, so a worker that dies anywhere in between leaves the delivery
/// pending, another worker recovers it, and the repeated hand-over finishes the job: each continuation is enqueued at
/// most once and runs at least once.
/// </remarks>
internal sealed class WorkflowEngine
{
    public static readonly TimeSpan DefaultTimeToLive = TimeSpan.FromDays(1);

    private readonly ITaskBroker _broker;
    private readonly IWorkflowStore _store;
    private readonly ITaskClient _sender;
    private readonly TimeProvider _time;

    public WorkflowEngine(ITaskBroker broker, ITaskClient sender, TimeProvider time)
    {
        _broker = broker;
        _store = broker.Workflows ?? throw new NotSupportedException($"{broker.GetType().Name} keeps no workflows (ITaskBroker.Workflows is null).");
        _sender = sender;
        _time = time;
    }

    public async ValueTask<WorkflowHandle> StartAsync(Workflow workflow, WorkflowOptions? options, ITaskClient client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        var id = options?.WorkflowId;
        if (id is not null)
        {
            WorkflowIds.ThrowIfInvalid(id, nameof(options));
        }

        var timeToLive = options?.TimeToLive ?? DefaultTimeToLive;
        if (timeToLive <= TimeSpan.Zero)
        {
            throw new ArgumentException($"WorkflowOptions.TimeToLive is {timeToLive}; it must be positive.", nameof(options));
        }

        id ??= WorkflowIds.New(_time.GetUtcNow());
        var plan = WorkflowPlan.Build(workflow.Node);
        var encoded = new ReadOnlyMemory<byte>[plan.Steps.Count];
        var waiting = new int[plan.Steps.Count];
        for (var i = 0; i < encoded.Length; i++)
        {
            encoded[i] = WorkflowCodec.Encode(plan.Steps[i]);
            waiting[i] = plan.Steps[i].DependsOn.Length;
        }

        var draft = new WorkflowDraft(id, encoded, waiting, WorkflowCodec.EncodeSummary(plan.Steps));
        if (!await _store.CreateAsync(draft, timeToLive, cancellationToken).ConfigureAwait(false))
        {
            // A retry of a send that failed after storing the workflow (the producer crashed, or the connection broke
            // while the first steps were sent) completes the start: first steps that have no outcome yet are sent
            // again, and the broker stores each step id once.
            await ResumeStartAsync(id, Seconds(timeToLive), cancellationToken).ConfigureAwait(false);
            return new WorkflowHandle(id, client) { IsDuplicate = true };
        }

        var roots = new List<(int Index, StepDefinition Step)>();
        for (var i = 0; i < plan.Steps.Count; i++)
        {
            if (plan.Steps[i].DependsOn.Length == 0)
            {
                roots.Add((i, plan.Steps[i]));
            }
        }

        await ActivateAsync(id, roots, Seconds(timeToLive), cancellationToken).ConfigureAwait(false);
        return new WorkflowHandle(id, client);
    }

    private async ValueTask ResumeStartAsync(string id, int ttlSeconds, CancellationToken cancellationToken)
    {
        var snapshot = await _store.GetSnapshotAsync(id, cancellationToken).ConfigureAwait(false);
        if (snapshot is null || snapshot.Final is not null)
        {
            return;
        }

        var summary = WorkflowCodec.DecodeSummary(snapshot.Summary);
        var roots = new List<int>();
        for (var i = 0; i < summary.Count; i++)
        {
            if (summary[i].DependsOn.Length == 0 && snapshot.Outcomes[i] is null)
            {
                roots.Add(i);
            }
        }

        if (roots.Count == 0)
        {
            return;
        }

        var steps = await GetStepsAsync(id, roots, cancellationToken).ConfigureAwait(false);
        var ready = new List<(int, StepDefinition)>(roots.Count);
        for (var i = 0; i < roots.Count; i++)
        {
            ready.Add((roots[i], steps[i]));
        }

        await ActivateAsync(id, ready, ttlSeconds, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Hands a finished step over: records its outcome, sends its callbacks, and starts what it unblocked or
    /// fails the workflow. Throws when the store or broker fails; the caller then leaves the delivery to redelivery.</summary>
    public ValueTask HandOverAsync(WorkflowHeader header, TaskOutcome outcome, CancellationToken cancellationToken = default) =>
        CompleteAsync(header, outcome, cancellationToken);

    private async ValueTask CompleteAsync(WorkflowHeader header, TaskOutcome outcome, CancellationToken cancellationToken)
    {
        var id = header.WorkflowId;
        var completion = await _store.CompleteStepAsync(id, header.Step, outcome, header.Dependants, header.TimeToLive, cancellationToken).ConfigureAwait(false);
        if (!completion.Found)
        {
            // Expired or never stored: there is nothing to hand over to.
            return;
        }

        if (outcome.Succeeded)
        {
            if (header.HasSuccessCallbacks && completion.Final?.State is not (WorkflowState.Failed or WorkflowState.Cancelled))
            {
                var own = await GetStepsAsync(id, [header.Step], cancellationToken).ConfigureAwait(false);
                await SendCallbacksAsync(id, header.Step, own[0].OnSuccess, 's', outcome.Value, cancellationToken).ConfigureAwait(false);
            }

            if (header.IsOutput)
            {
                await SucceedAsync(id, header.Step, outcome.Value, header.TimeToLive, cancellationToken).ConfigureAwait(false);
                return;
            }

            if (completion.Final is null)
            {
                await ActivateReadyAsync(id, header, completion, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        if (completion.Final is { } decided && !(decided.State == WorkflowState.Failed && decided.Step == header.Step))
        {
            // The workflow ended already (another step failed, or it was cancelled and this step's cancellation is the
            // echo): nothing follows from this failure. Only the step that decided a failure finishes its follow-ups,
            // also when its first hand-over was cut short.
            return;
        }

        var error = outcome.Error ?? new TaskError(DeadLetterReason.RetriesExhausted, "Unknown", "The step failed.");
        if (header.Dependants.Length > 0 && completion.Final is null)
        {
            // Tolerated when every dependant is a group that can absorb this many failed members.
            var dependants = await GetStepsAsync(id, header.Dependants, cancellationToken).ConfigureAwait(false);
            var tolerated = true;
            for (var i = 0; i < dependants.Count && tolerated; i++)
            {
                tolerated = dependants[i].IsGroup && completion.Failures[i] <= dependants[i].MaxFailures;
            }

            if (tolerated)
            {
                if (header.HasFailureCallbacks)
                {
                    var own = await GetStepsAsync(id, [header.Step], cancellationToken).ConfigureAwait(false);
                    await SendFailureCallbacksAsync(id, [(header.Step, own[0])], header.Step, own[0], error, cancellationToken).ConfigureAwait(false);
                }

                await ActivateReadyAsync(id, header, completion, cancellationToken).ConfigureAwait(false);
                return;
            }
        }

        await FailAsync(id, header.Step, error, header.TimeToLiveSeconds, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask ActivateReadyAsync(string id, WorkflowHeader header, WorkflowStepCompletion completion, CancellationToken cancellationToken)
    {
        var ready = new List<int>();
        for (var i = 0; i < header.Dependants.Length; i++)
        {
            if (completion.Waiting[i] <= 0)
            {
                ready.Add(header.Dependants[i]);
            }
        }

        if (ready.Count == 0)
        {
            return;
        }

        var steps = await GetStepsAsync(id, ready, cancellationToken).ConfigureAwait(false);
        var list = new List<(int, StepDefinition)>(ready.Count);
        for (var i = 0; i < ready.Count; i++)
        {
            list.Add((ready[i], steps[i]));
        }

        await ActivateAsync(id, list, header.TimeToLiveSeconds, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts steps whose dependencies are all done: sends task steps (one batch), completes groups.</summary>
    private async ValueTask ActivateAsync(string id, List<(int Index, StepDefinition Step)> ready, int ttlSeconds, CancellationToken cancellationToken)
    {
        var requests = new List<TaskRequest>();
        foreach (var (index, step) in ready)
        {
            if (step.IsGroup)
            {
                await CompleteGroupAsync(id, index, step, ttlSeconds, cancellationToken).ConfigureAwait(false);
                continue;
            }

            var sources = step.Inputs.Select(input => input.Source).Distinct().ToArray();
            var outcomes = sources.Length == 0
                ? []
                : await _store.GetOutcomesAsync(id, sources, cancellationToken).ConfigureAwait(false);
            var values = new Dictionary<int, ReadOnlyMemory<byte>>();
            var missing = false;
            for (var i = 0; i < sources.Length; i++)
            {
                if (outcomes[i] is { Succeeded: true } outcome)
                {
                    values[sources[i]] = outcome.Value;
                }
                else
                {
                    // A failed input means the workflow failed (its hand-over decides that); an unrecorded one cannot
                    // happen for a step whose count reached zero. Either way: do not run it.
                    missing = true;
                }
            }

            if (missing)
            {
                continue;
            }

            var arguments = Splice(step.Arguments, step.Inputs.Select(input => (input.Parameter, values[input.Source])));
            requests.Add(Request(step.Actor, step.Queue, arguments, step.Headers, step.TrackStatus, step.Delay, WorkflowIds.Step(id, index),
                new WorkflowHeader(id, index, step.Dependants, step.OnSuccess.Length > 0, step.OnFailure.Length > 0, step.IsOutput, ttlSeconds)));
        }

        if (requests.Count > 0)
        {
            await _sender.SendManyAsync(requests, cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask CompleteGroupAsync(string id, int index, StepDefinition group, int ttlSeconds, CancellationToken cancellationToken)
    {
        var distinct = group.Members.Distinct().ToArray();
        var outcomes = distinct.Length == 0 ? [] : await _store.GetOutcomesAsync(id, distinct, cancellationToken).ConfigureAwait(false);
        var byStep = new Dictionary<int, TaskOutcome?>();
        var failures = 0;
        TaskError? firstError = null;
        for (var i = 0; i < distinct.Length; i++)
        {
            byStep[distinct[i]] = outcomes[i];
            if (outcomes[i] is not { Succeeded: true })
            {
                failures++;
                firstError ??= outcomes[i]?.Error;
            }
        }

        var header = new WorkflowHeader(id, index, group.Dependants, group.OnSuccess.Length > 0, group.OnFailure.Length > 0, group.IsOutput, ttlSeconds);
        if (failures > group.MaxFailures)
        {
            var error = new TaskError(
                firstError?.Reason ?? DeadLetterReason.RetriesExhausted,
                firstError?.Type ?? "GroupFailed",
                $"{failures} of {distinct.Length} members of the group failed (it tolerates {group.MaxFailures}); the first: {firstError?.Message}");
            await CompleteAsync(header, new TaskOutcome(false, ReadOnlyMemory<byte>.Empty, error, _time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
            return;
        }

        // The group's result: its successful members' results in member order (null for a member without a value).
        var buffer = new ArrayBufferWriter<byte>();
        buffer.Write("["u8);
        var first = true;
        foreach (var member in group.Members)
        {
            if (byStep[member] is not { Succeeded: true } outcome)
            {
                continue;
            }

            if (!first)
            {
                buffer.Write(","u8);
            }

            first = false;
            buffer.Write(outcome.Value.IsEmpty ? "null"u8 : outcome.Value.Span);
        }

        buffer.Write("]"u8);
        await CompleteAsync(header, new TaskOutcome(true, buffer.WrittenSpan.ToArray(), null, _time.GetUtcNow()), cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask SucceedAsync(string id, int step, ReadOnlyMemory<byte> value, TimeSpan timeToLive, CancellationToken cancellationToken)
    {
        var final = await _store.FinishAsync(id, new WorkflowFinalState(WorkflowState.Succeeded, step, null), timeToLive, cancellationToken).ConfigureAwait(false);
        if (final is { State: WorkflowState.Succeeded })
        {
            // Repeated by a repeated hand-over: the same value again.
            await _broker.Results.SetAsync(id, new TaskOutcome(true, value, null, _time.GetUtcNow()), timeToLive, cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask FailAsync(string id, int cause, TaskError error, int ttlSeconds, CancellationToken cancellationToken)
    {
        var all = await GetStepsAsync(id, null, cancellationToken).ConfigureAwait(false);
        var step = all[cause];
        var label = step.IsGroup ? "group" : step.Actor;
        var workflowError = error with
        {
            Message = $"Step {cause} ({label}, task {WorkflowIds.Step(id, cause)}) of workflow {id} failed: {error.Message}",
        };
        var timeToLive = TimeSpan.FromSeconds(ttlSeconds);
        var final = await _store.FinishAsync(id, new WorkflowFinalState(WorkflowState.Failed, cause, workflowError), timeToLive, cancellationToken).ConfigureAwait(false);
        if (final is not { State: WorkflowState.Failed } || final.Step != cause)
        {
            // Decided by another step (or a cancellation), whose hand-over does the rest.
            return;
        }

        await _broker.Results.SetAsync(id, new TaskOutcome(false, ReadOnlyMemory<byte>.Empty, final.Error ?? workflowError, _time.GetUtcNow()), timeToLive, cancellationToken).ConfigureAwait(false);

        // The failed step and every step that depended on it (they never run) fire their failure callbacks.
        var failed = new List<(int, StepDefinition)>();
        var seen = new HashSet<int> { cause };
        var queue = new Queue<int>();
        queue.Enqueue(cause);
        while (queue.Count > 0)
        {
            var current = queue.Dequeue();
            failed.Add((current, all[current]));
            foreach (var next in all[current].Dependants)
            {
                if (seen.Add(next))
                {
                    queue.Enqueue(next);
                }
            }
        }

        await SendFailureCallbacksAsync(id, failed, cause, step, error, cancellationToken).ConfigureAwait(false);
        await CancelUnfinishedAsync(id, all, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<CancelResult> CancelAsync(string id, CancellationToken cancellationToken)
    {
        WorkflowIds.ThrowIfInvalid(id, nameof(id));
        var error = new TaskError(DeadLetterReason.Cancelled, nameof(DeadLetterReason.Cancelled), $"Workflow {id} was cancelled.");
        if ((await _store.GetSnapshotAsync(id, cancellationToken).ConfigureAwait(false))?.Final is { } decided)
        {
            // Two cancellations at the same moment may both answer Cancelled; a later one knows.
            return decided.State == WorkflowState.Cancelled ? CancelResult.AlreadyCancelled : CancelResult.AlreadyFinished;
        }

        var final = await _store.FinishAsync(id, new WorkflowFinalState(WorkflowState.Cancelled, -1, error), DefaultTimeToLive, cancellationToken).ConfigureAwait(false);
        if (final is null || final.State != WorkflowState.Cancelled)
        {
            return CancelResult.AlreadyFinished;
        }

        await _broker.Results.SetAsync(id, new TaskOutcome(false, ReadOnlyMemory<byte>.Empty, error, _time.GetUtcNow()), DefaultTimeToLive, cancellationToken).ConfigureAwait(false);
        var all = await GetStepsAsync(id, null, cancellationToken).ConfigureAwait(false);
        await CancelUnfinishedAsync(id, all, cancellationToken).ConfigureAwait(false);
        return CancelResult.Cancelled;
    }

    /// <summary>Cancels every task step that was enqueued and has no outcome: queued ones never start, running ones'
    /// tokens fire. Steps still waiting are never enqueued, since the workflow's final state is decided.</summary>
    private async ValueTask CancelUnfinishedAsync(string id, IReadOnlyList<StepDefinition> all, CancellationToken cancellationToken)
    {
        var snapshot = await _store.GetSnapshotAsync(id, cancellationToken).ConfigureAwait(false);
        if (snapshot is null)
        {
            return;
        }

        var cancels = new List<Task<CancelResult>>();
        for (var i = 0; i < all.Count; i++)
        {
            if (!all[i].IsGroup && snapshot.Outcomes[i] is null && snapshot.Waiting[i] <= 0)
            {
                cancels.Add(_broker.CancelAsync(WorkflowIds.Step(id, i), cancellationToken).AsTask());
            }
        }

        await Task.WhenAll(cancels).ConfigureAwait(false);
    }

    public async ValueTask<WorkflowStatus> GetStatusAsync(string id, CancellationToken cancellationToken)
    {
        WorkflowIds.ThrowIfInvalid(id, nameof(id));
        var snapshot = await _store.GetSnapshotAsync(id, cancellationToken).ConfigureAwait(false);
        if (snapshot is null)
        {
            return WorkflowStatus.Unknown(id);
        }

        var summary = WorkflowCodec.DecodeSummary(snapshot.Summary);
        var final = snapshot.Final;
        var steps = new WorkflowStepStatus[summary.Count];
        for (var i = 0; i < steps.Length; i++)
        {
            var outcome = snapshot.Outcomes[i];
            var state = outcome switch
            {
                { Succeeded: true } => WorkflowStepState.Succeeded,
                { Error.Reason: DeadLetterReason.Cancelled } => WorkflowStepState.Cancelled,
                not null => WorkflowStepState.Failed,
                // Enqueued before the cancellation (its inputs all succeeded), its own cancelled outcome not yet
                // recorded; a count that reached zero by a failed or cancelled input was never enqueued.
                null when final is not null => final.State == WorkflowState.Cancelled && snapshot.Waiting[i] <= 0 && summary[i].Actor is not null
                    && Array.TrueForAll(summary[i].DependsOn, d => snapshot.Outcomes[d] is { Succeeded: true })
                    ? WorkflowStepState.Cancelled
                    : WorkflowStepState.NotRun,
                null => snapshot.Waiting[i] <= 0 ? WorkflowStepState.Queued : WorkflowStepState.Waiting,
            };
            steps[i] = new WorkflowStepStatus(i, WorkflowIds.Step(id, i), summary[i].Actor, summary[i].DependsOn, state, outcome?.Error);
        }

        return new WorkflowStatus(id, final?.State ?? WorkflowState.Running, final?.Error, steps);
    }

    private async ValueTask SendCallbacksAsync(string id, int index, WorkflowCallback[] callbacks, char kind, ReadOnlyMemory<byte> input, CancellationToken cancellationToken)
    {
        if (callbacks.Length == 0)
        {
            return;
        }

        var requests = new List<TaskRequest>(callbacks.Length);
        for (var k = 0; k < callbacks.Length; k++)
        {
            var callback = callbacks[k];
            var arguments = callback.InputParameter is { } parameter
                ? Splice(callback.Arguments, [(parameter, input.IsEmpty ? "null"u8.ToArray() : input)])
                : callback.Arguments;
            requests.Add(Request(callback.Actor, callback.Queue, arguments, callback.Headers, callback.TrackStatus, callback.Delay, WorkflowIds.Callback(id, index, kind, k), header: null));
        }

        await _sender.SendManyAsync(requests, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask SendFailureCallbacksAsync(string id, List<(int Index, StepDefinition Step)> steps, int cause, StepDefinition causeStep, TaskError error, CancellationToken cancellationToken)
    {
        var failure = new WorkflowFailure(id, WorkflowIds.Step(id, cause), causeStep.IsGroup ? "group" : causeStep.Actor, cause, error.Reason, error.Type, error.Message);
        var json = JsonSerializer.SerializeToUtf8Bytes(failure, TypedTasksJsonContext.Default.WorkflowFailure);
        foreach (var (index, step) in steps)
        {
            await SendCallbacksAsync(id, index, step.OnFailure, 'f', json, cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask<IReadOnlyList<StepDefinition>> GetStepsAsync(string id, IReadOnlyList<int>? steps, CancellationToken cancellationToken)
    {
        var encoded = await _store.GetStepsAsync(id, steps, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Workflow {id} is not stored (it expired).");
        var decoded = new StepDefinition[encoded.Count];
        for (var i = 0; i < decoded.Length; i++)
        {
            decoded[i] = WorkflowCodec.Decode(encoded[i]);
        }

        return decoded;
    }

    private static TaskRequest Request(string actor, string queue, ReadOnlyMemory<byte> arguments, IReadOnlyDictionary<string, string>? headers, bool? trackStatus, TimeSpan? delay, string taskId, WorkflowHeader? header)
    {
        Dictionary<string, string>? merged = null;
        if (headers is { Count: > 0 } || header is not null)
        {
            merged = headers is null ? new Dictionary<string, string>(StringComparer.Ordinal) : new Dictionary<string, string>(headers, StringComparer.Ordinal);
            if (header is { } h)
            {
                merged[WorkflowHeader.Name] = h.ToString();
            }
        }

        return new TaskRequest(actor, queue, arguments, new SendOptions { TaskId = taskId, Delay = delay })
        {
            Headers = merged,
            TrackStatus = trackStatus,
        };
    }

    /// <summary>The fixed arguments (a JSON object) with each input's result added as a property.</summary>
    internal static byte[] Splice(ReadOnlyMemory<byte> arguments, IEnumerable<(string Parameter, ReadOnlyMemory<byte> Value)> inputs)
    {
        var span = arguments.Span.Trim(" \t\r\n"u8);
        if (span.Length < 2 || span[0] != (byte)'{' || span[^1] != (byte)'}')
        {
            throw new FormatException("A workflow step's arguments must be a JSON object.");
        }

        var body = span[1..^1].Trim(" \t\r\n"u8);
        var buffer = new ArrayBufferWriter<byte>(span.Length + 64);
        buffer.Write("{"u8);
        buffer.Write(body);
        var first = body.IsEmpty;
        foreach (var (parameter, value) in inputs)
        {
            if (!first)
            {
                buffer.Write(","u8);
            }

            first = false;
            buffer.Write("\""u8);
            buffer.Write(JsonEncodedText.Encode(parameter).EncodedUtf8Bytes);
            buffer.Write("\":"u8);
            buffer.Write(value.Span);
        }

        buffer.Write("}"u8);
        return buffer.WrittenSpan.ToArray();
    }

    private static int Seconds(TimeSpan timeToLive) => (int)Math.Clamp(Math.Ceiling(timeToLive.TotalSeconds), 1, int.MaxValue);
}
