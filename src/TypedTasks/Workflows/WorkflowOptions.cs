using System;

namespace TypedTasks;

/// <summary>Choices for sending a workflow.</summary>
public sealed record WorkflowOptions
{
    /// <summary>
    /// The workflow's id; <see langword="null"/> = a new <c>wf-</c> id. Sending a workflow with an id that is already
    /// stored stores nothing and returns a handle with <see cref="TaskHandle.IsDuplicate"/> set, so a producer that
    /// retries after a failure does not start the workflow twice. 1–100 characters of <c>[A-Za-z0-9_.:-]</c>: step ids
    /// are the workflow id plus a suffix.
    /// </summary>
    public string? WorkflowId { get; init; }

    /// <summary>How long the workflow's state is kept after its last change (each step that finishes renews it; a
    /// finished workflow keeps it this long too); <see langword="null"/> = 1 day.</summary>
    public TimeSpan? TimeToLive { get; init; }
}
