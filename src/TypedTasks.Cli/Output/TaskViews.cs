using System;
using System.Text;

namespace TypedTasks.Cli.Output;

/// <summary><c>task cancel --json</c>: <c>result</c> is a <see cref="CancelResult"/> name.</summary>
internal sealed record TaskCancelView(string TaskId, string Result);

/// <summary><c>task status --json</c>: the whole <see cref="TaskStatusInfo"/>. The property names are a documented
/// contract (docs/operations.md): add, never rename.</summary>
/// <param name="State">A <see cref="TaskState"/> name.</param>
/// <param name="Attempt">The latest attempt that started (1-based); 0 before any started.</param>
internal sealed record TaskStatusView(
    string TaskId,
    string State,
    int Attempt,
    string? Worker,
    DateTimeOffset? EnqueuedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    DateTimeOffset? UpdatedAt,
    DateTimeOffset? NextAttemptAt,
    TaskErrorView? Error,
    TaskProgressView? Progress)
{
    public static TaskStatusView From(TaskStatusInfo status) => new(
        status.TaskId,
        status.State.ToString(),
        status.Attempt,
        status.Worker,
        status.EnqueuedAt,
        status.StartedAt,
        status.CompletedAt,
        status.UpdatedAt,
        status.NextAttemptAt,
        status.Error is { } error ? new TaskErrorView(error.Reason.ToString(), error.Type, error.Message, error.StackTrace) : null,
        status.Progress is { } progress
            ? new TaskProgressView(progress.Sequence, progress.Percent, progress.Message, progress.Value.IsEmpty ? null : Encoding.UTF8.GetString(progress.Value.Span), progress.ReportedAt)
            : null);
}

/// <summary>A <see cref="TaskError"/>: <c>reason</c> is a <see cref="DeadLetterReason"/> name.</summary>
internal sealed record TaskErrorView(string Reason, string Type, string Message, string? StackTrace);

/// <summary>A <see cref="TaskProgressInfo"/>; <c>value</c> is the typed value's JSON text, null when none.</summary>
internal sealed record TaskProgressView(long Sequence, double? Percent, string? Message, string? Value, DateTimeOffset ReportedAt);

/// <summary><c>workflow status --json</c>: the whole <see cref="WorkflowStatus"/>. The property names are a documented
/// contract (docs/operations.md): add, never rename.</summary>
/// <param name="State">A <see cref="WorkflowState"/> name.</param>
internal sealed record WorkflowStatusView(string WorkflowId, string State, TaskErrorView? Error, System.Collections.Generic.IReadOnlyList<WorkflowStepView> Steps)
{
    public static WorkflowStatusView From(WorkflowStatus status)
    {
        var steps = new WorkflowStepView[status.Steps.Count];
        for (var i = 0; i < steps.Length; i++)
        {
            var step = status.Steps[i];
            steps[i] = new WorkflowStepView(step.Index, step.TaskId, step.Actor, step.DependsOn, step.State.ToString(), ErrorOf(step.Error));
        }

        return new WorkflowStatusView(status.WorkflowId, status.State.ToString(), ErrorOf(status.Error), steps);
    }

    private static TaskErrorView? ErrorOf(TaskError? error) => error is null ? null : new TaskErrorView(error.Reason.ToString(), error.Type, error.Message, error.StackTrace);
}

/// <summary>One step of <c>workflow status --json</c>: <c>actor</c> is null for a group; <c>state</c> is a
/// <see cref="WorkflowStepState"/> name.</summary>
internal sealed record WorkflowStepView(int Index, string TaskId, string? Actor, System.Collections.Generic.IReadOnlyList<int> DependsOn, string State, TaskErrorView? Error);
