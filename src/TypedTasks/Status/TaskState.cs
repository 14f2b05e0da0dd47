namespace TypedTasks;

/// <summary>Where a task is in its life, as <see cref="TaskHandle.GetStatusAsync"/> reports it.</summary>
/// <remarks>
/// <see cref="Scheduled"/>, <see cref="Queued"/>, <see cref="Running"/> and <see cref="Retrying"/> are recorded only
/// for tracked tasks (<see cref="ActorAttribute.TrackStatus"/>, <see cref="SendOptions.TrackStatus"/>). The terminal
/// states are also read from a stored outcome, tracked or not. docs/status.md states when each state is recorded.
/// </remarks>
public enum TaskState
{
    /// <summary>Nothing is known about the id: never sent, sent untracked and not finished (or finished without a
    /// stored outcome), or its record expired.</summary>
    Unknown = 0,

    /// <summary>Sent with a due time in the future; it waits until then.</summary>
    Scheduled = 1,

    /// <summary>Sent (or its due time passed) and waiting for a worker.</summary>
    Queued = 2,

    /// <summary>A worker runs an attempt (<see cref="TaskStatusInfo.Worker"/>, <see cref="TaskStatusInfo.Attempt"/>).</summary>
    Running = 3,

    /// <summary>An attempt failed and the next one is scheduled (<see cref="TaskStatusInfo.NextAttemptAt"/>,
    /// <see cref="TaskStatusInfo.Error"/>).</summary>
    Retrying = 4,

    /// <summary>The actor completed.</summary>
    Succeeded = 5,

    /// <summary>The actor ran and failed for good: its last retry failed, it threw a non-retryable exception, or its
    /// last attempt ran out of time. The message is in the dead letters.</summary>
    Failed = 6,

    /// <summary>The worker refused to run the message: too old, invalid arguments, unknown actor, malformed or too
    /// large. The message is in the dead letters.</summary>
    DeadLettered = 7,

    /// <summary>The task was cancelled (its outcome's <see cref="TaskError.Reason"/> is
    /// <see cref="DeadLetterReason.Cancelled"/>).</summary>
    Cancelled = 8,
}
