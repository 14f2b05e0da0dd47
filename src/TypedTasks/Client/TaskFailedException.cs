using System;

namespace TypedTasks;

/// <summary>A task failed for good on a worker, or was cancelled; <see cref="Error"/> carries the remote error.</summary>
/// <remarks>A cancelled task (<see cref="ITaskClient.CancelAsync"/>) is reported with this exception and
/// <see cref="IsCancelled"/>, not with an <see cref="OperationCanceledException"/>, which would be mistaken for the
/// waiter's own token firing.</remarks>
public sealed class TaskFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TaskFailedException(string taskId, string actor, TaskError error)
        : base(error?.Reason == DeadLetterReason.Cancelled
            ? $"Task '{taskId}' ({actor}) was cancelled."
            : $"Task '{taskId}' ({actor}) failed: {error?.Type}: {error?.Message}")
    {
        ArgumentNullException.ThrowIfNull(error);
        TaskId = taskId;
        Actor = actor;
        Error = error;
    }

    /// <summary>The failed task's id.</summary>
    public string TaskId { get; }

    /// <summary>The actor's wire name.</summary>
    public string Actor { get; }

    /// <summary>The remote error: type, message and trimmed stack trace.</summary>
    public TaskError Error { get; }

    /// <summary>The task was cancelled (<see cref="TaskError.Reason"/> is <see cref="DeadLetterReason.Cancelled"/>).</summary>
    public bool IsCancelled => Error.Reason == DeadLetterReason.Cancelled;
}
