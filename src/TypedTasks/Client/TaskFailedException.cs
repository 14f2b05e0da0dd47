using System;

namespace TypedTasks;

/// <summary>A task failed for good on a worker; <see cref="Error"/> carries the remote error.</summary>
public sealed class TaskFailedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TaskFailedException(string taskId, string actor, TaskError error)
        : base($"Task '{taskId}' ({actor}) failed: {error?.Type}: {error?.Message}")
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
}
