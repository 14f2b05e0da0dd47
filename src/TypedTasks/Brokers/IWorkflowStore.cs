using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace TypedTasks.Brokers;

/// <summary>
/// Keeps the state of workflows for the workflow engine (the client that sends a workflow and the workers that run its
/// steps). Everything of one workflow is keyed by its id alone, so that on Redis Cluster every operation touches one
/// hash slot; the steps' tasks live in their queues' slots and are sent separately, by deterministic id. Every
/// operation is idempotent or first-wins, because a worker that crashed in the middle of a hand-over repeats it.
/// </summary>
/// <remarks>
/// Steps are numbered 0..n-1. The store keeps, per step: its definition (opaque bytes the engine encodes), how many
/// steps it still waits for, how many of those failed, and its outcome once recorded; per workflow: a summary (opaque
/// bytes, for status) and the final state once decided.
/// </remarks>
public interface IWorkflowStore
{
    /// <summary>Stores a new workflow, unless one is stored under its id.</summary>
    /// <returns><see langword="false"/> when the id was taken (nothing was changed).</returns>
    ValueTask<bool> CreateAsync(WorkflowDraft workflow, TimeSpan timeToLive, CancellationToken cancellationToken = default);

    /// <summary>The definitions of <paramref name="steps"/> (all steps when <see langword="null"/>), in the order asked;
    /// <see langword="null"/> when no workflow is stored under the id.</summary>
    ValueTask<IReadOnlyList<ReadOnlyMemory<byte>>?> GetStepsAsync(string workflowId, IReadOnlyList<int>? steps, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records <paramref name="step"/>'s outcome unless one is recorded (the first wins). The first time only, it also
    /// counts the step off each of <paramref name="dependants"/> (one less to wait for, and one more failure when the
    /// outcome is a failure). Renews the workflow's time to live. Repeating the call changes nothing and answers the same.
    /// </summary>
    ValueTask<WorkflowStepCompletion> CompleteStepAsync(string workflowId, int step, TaskOutcome outcome, IReadOnlyList<int> dependants, TimeSpan timeToLive, CancellationToken cancellationToken = default);

    /// <summary>The recorded outcomes of <paramref name="steps"/>, in the order asked (<see langword="null"/> where none is recorded).</summary>
    ValueTask<IReadOnlyList<TaskOutcome?>> GetOutcomesAsync(string workflowId, IReadOnlyList<int> steps, CancellationToken cancellationToken = default);

    /// <summary>Decides the workflow's final state unless it is decided (the first wins) and sets its time to live.</summary>
    /// <returns>The final state that stands; <see langword="null"/> when no workflow is stored under the id.</returns>
    ValueTask<WorkflowFinalState?> FinishAsync(string workflowId, WorkflowFinalState final, TimeSpan timeToLive, CancellationToken cancellationToken = default);

    /// <summary>The workflow's final state once decided, else <see langword="null"/> (also when nothing is stored): one
    /// cheap read, which a worker makes before it starts a step.</summary>
    ValueTask<WorkflowFinalState?> GetFinalAsync(string workflowId, CancellationToken cancellationToken = default);

    /// <summary>Everything but the step definitions, in one read; <see langword="null"/> when nothing is stored.</summary>
    ValueTask<WorkflowSnapshot?> GetSnapshotAsync(string workflowId, CancellationToken cancellationToken = default);
}

/// <summary>A workflow to store (<see cref="IWorkflowStore.CreateAsync"/>).</summary>
/// <param name="Id">The workflow id.</param>
/// <param name="Steps">Each step's definition (opaque to the store).</param>
/// <param name="Waiting">How many steps each step waits for.</param>
/// <param name="Summary">What status reads need (opaque to the store).</param>
public sealed record WorkflowDraft(string Id, IReadOnlyList<ReadOnlyMemory<byte>> Steps, IReadOnlyList<int> Waiting, ReadOnlyMemory<byte> Summary);

/// <summary>What <see cref="IWorkflowStore.CompleteStepAsync"/> answers.</summary>
/// <param name="Found">Whether the workflow is stored (an expired or unknown one records nothing).</param>
/// <param name="Final">The workflow's final state, once decided.</param>
/// <param name="Waiting">Per dependant, in the order given: how many steps it still waits for.</param>
/// <param name="Failures">Per dependant: how many of the steps it waits for failed.</param>
public sealed record WorkflowStepCompletion(bool Found, WorkflowFinalState? Final, IReadOnlyList<int> Waiting, IReadOnlyList<int> Failures);

/// <summary>A workflow's final state.</summary>
/// <param name="State">Succeeded, failed or cancelled.</param>
/// <param name="Step">The step that decided it (the last step, the failed one), or -1 for a cancellation.</param>
/// <param name="Error">The failure or cancellation.</param>
public sealed record WorkflowFinalState(WorkflowState State, int Step, TaskError? Error);

/// <summary>A workflow's state at one moment (<see cref="IWorkflowStore.GetSnapshotAsync"/>).</summary>
/// <param name="Summary">The summary stored with the workflow.</param>
/// <param name="Final">The final state, once decided.</param>
/// <param name="Waiting">Per step: how many steps it still waits for.</param>
/// <param name="Outcomes">Per step: its outcome, once recorded.</param>
public sealed record WorkflowSnapshot(ReadOnlyMemory<byte> Summary, WorkflowFinalState? Final, IReadOnlyList<int> Waiting, IReadOnlyList<TaskOutcome?> Outcomes);
