using System;

namespace TypedTasks;

/// <summary>What is known about a task at one moment (<see cref="TaskHandle.GetStatusAsync"/>).</summary>
/// <param name="TaskId">The task id.</param>
/// <param name="State">Where the task is; <see cref="TaskState.Unknown"/> when nothing is recorded.</param>
public sealed record TaskStatusInfo(string TaskId, TaskState State)
{
    /// <summary>The latest attempt that started (1-based): the running one, the one that failed while
    /// <see cref="TaskState.Retrying"/>, the last one when finished; 0 before any started or when untracked.</summary>
    public int Attempt { get; init; }

    /// <summary>The consumer name of the worker that ran the latest attempt, when tracked.</summary>
    public string? Worker { get; init; }

    /// <summary>When the task was first enqueued, when tracked.</summary>
    public DateTimeOffset? EnqueuedAt { get; init; }

    /// <summary>When the latest attempt started, when tracked.</summary>
    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>When the task finished (its outcome's time), for the terminal states.</summary>
    public DateTimeOffset? CompletedAt { get; init; }

    /// <summary>When anything about the task was last recorded.</summary>
    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>When the task may run: its due time while <see cref="TaskState.Scheduled"/>, the next attempt's while
    /// <see cref="TaskState.Retrying"/>.</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>The failed attempt's error while <see cref="TaskState.Retrying"/> (kept while the next attempt runs),
    /// or the final error of <see cref="TaskState.Failed"/>, <see cref="TaskState.DeadLettered"/> and
    /// <see cref="TaskState.Cancelled"/>.</summary>
    public TaskError? Error { get; init; }

    /// <summary>The latest progress the actor reported, if any.</summary>
    public TaskProgressInfo? Progress { get; init; }

    /// <summary>Whether the task finished: succeeded, failed, dead-lettered or cancelled.</summary>
    public bool IsFinished => State is TaskState.Succeeded or TaskState.Failed or TaskState.DeadLettered or TaskState.Cancelled;

    /// <summary>The status of an id nothing is known about.</summary>
    public static TaskStatusInfo Unknown(string taskId) => new(taskId, TaskState.Unknown);
}
