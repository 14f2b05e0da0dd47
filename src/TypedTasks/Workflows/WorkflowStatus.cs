using System;
using System.Collections.Generic;

namespace TypedTasks;

/// <summary>Where a workflow stands as a whole.</summary>
public enum WorkflowState
{
    /// <summary>Nothing is stored under the id (never sent, or expired).</summary>
    Unknown,

    /// <summary>Steps are still to run.</summary>
    Running,

    /// <summary>The last step succeeded; the result is stored under the workflow id.</summary>
    Succeeded,

    /// <summary>A step failed for good (beyond what its group tolerates); its dependants never ran.</summary>
    Failed,

    /// <summary>The workflow was cancelled.</summary>
    Cancelled,
}

/// <summary>Where one step of a workflow stands.</summary>
public enum WorkflowStepState
{
    /// <summary>Waiting for the steps it depends on.</summary>
    Waiting,

    /// <summary>Enqueued: queued, running or retrying (a tracked task's own status says which:
    /// <see cref="ITaskClient.GetStatusAsync"/> with <see cref="WorkflowStepStatus.TaskId"/>).</summary>
    Queued,

    /// <summary>Finished successfully.</summary>
    Succeeded,

    /// <summary>Failed for good.</summary>
    Failed,

    /// <summary>Cancelled while queued or running.</summary>
    Cancelled,

    /// <summary>Never ran: the workflow failed or was cancelled first.</summary>
    NotRun,
}

/// <summary>One step of a workflow.</summary>
/// <param name="Index">The step's index: steps are numbered so that every step comes after the steps it depends on.</param>
/// <param name="TaskId">The step's task id (<c>{workflow id}.{index}</c>); for a group, the id it would have.</param>
/// <param name="Actor">The actor's wire name, or <see langword="null"/> for a group.</param>
/// <param name="DependsOn">The indices of the steps it waits for.</param>
/// <param name="State">Where it stands.</param>
/// <param name="Error">Why it failed, when it did.</param>
public sealed record WorkflowStepStatus(int Index, string TaskId, string? Actor, IReadOnlyList<int> DependsOn, WorkflowStepState State, TaskError? Error)
{
    /// <summary>Whether the step is a group (no task of its own).</summary>
    public bool IsGroup => Actor is null;
}

/// <summary>A workflow's state and each of its steps' (<see cref="WorkflowHandle.GetWorkflowStatusAsync"/>).</summary>
/// <param name="WorkflowId">The workflow's id.</param>
/// <param name="State">Where it stands as a whole.</param>
/// <param name="Error">Why it failed or was cancelled.</param>
/// <param name="Steps">Every step, by index; the last one is the workflow's result.</param>
public sealed record WorkflowStatus(string WorkflowId, WorkflowState State, TaskError? Error, IReadOnlyList<WorkflowStepStatus> Steps)
{
    /// <summary>The status of an id nothing is stored under.</summary>
    public static WorkflowStatus Unknown(string workflowId) => new(workflowId, WorkflowState.Unknown, null, Array.Empty<WorkflowStepStatus>());
}
