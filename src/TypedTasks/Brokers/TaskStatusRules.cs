using System;

namespace TypedTasks.Brokers;

/// <summary>
/// The one statement of how status writes are ordered and how a read is assembled, for every
/// <see cref="ITaskStatusStore"/>. A store keeps the rank of the update it accepted last and refuses an update of lower
/// rank, so writes that arrive late (a slow "running" after the retry was scheduled, anything after the task
/// finished) never move the status back.
/// </summary>
public static class TaskStatusRules
{
    /// <summary>The rank of every terminal state: nothing replaces it.</summary>
    public const int TerminalRank = int.MaxValue;

    /// <summary>Orders updates: queued/scheduled 0, running attempt <c>a</c> 2a, retrying after attempt <c>a</c> 2a+1,
    /// terminal <see cref="TerminalRank"/>.</summary>
    public static int Rank(TaskStatusUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        var attempt = Math.Clamp(update.Attempt, 0, (int.MaxValue / 2) - 1);
        return update.State switch
        {
            TaskState.Scheduled or TaskState.Queued => 0,
            TaskState.Running => 2 * attempt,
            TaskState.Retrying => (2 * attempt) + 1,
            TaskState.Succeeded or TaskState.Failed or TaskState.DeadLettered or TaskState.Cancelled => TerminalRank,
            _ => throw new ArgumentException($"'{update.State}' cannot be recorded.", nameof(update)),
        };
    }

    /// <summary>Whether an update of rank <paramref name="rank"/> replaces a stored one of rank
    /// <paramref name="storedRank"/> (<see langword="null"/> = nothing stored).</summary>
    public static bool Accepts(int? storedRank, int rank) =>
        storedRank is not { } stored || (stored != TerminalRank && rank >= stored);

    /// <summary>The terminal state an outcome stands for.</summary>
    public static TaskState StateOf(TaskOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return outcome.Succeeded ? TaskState.Succeeded : StateOf(outcome.Error);
    }

    /// <summary>The terminal state of a failure: <see cref="TaskState.Cancelled"/>, <see cref="TaskState.Failed"/>
    /// (the actor ran and failed for good) or <see cref="TaskState.DeadLettered"/> (the worker refused to run it).</summary>
    public static TaskState StateOf(TaskError? error) => error?.Reason switch
    {
        DeadLetterReason.Cancelled => TaskState.Cancelled,
        null or DeadLetterReason.RetriesExhausted or DeadLetterReason.NonRetryable or DeadLetterReason.TimeLimitExceeded => TaskState.Failed,
        _ => TaskState.DeadLettered,
    };

    /// <summary>
    /// Assembles a read: a stored <paramref name="outcome"/> decides the state (and the completion time and error);
    /// otherwise the <paramref name="recorded"/> state, where <see cref="TaskState.Scheduled"/> past its due time reads
    /// as <see cref="TaskState.Queued"/>; neither gives <see cref="TaskState.Unknown"/>.
    /// </summary>
    public static TaskStatusInfo Combine(string taskId, TaskStatusInfo? recorded, TaskOutcome? outcome, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(taskId);
        if (outcome is not null)
        {
            var updated = recorded?.UpdatedAt is { } at && at > outcome.CompletedAt ? at : outcome.CompletedAt;
            return (recorded ?? TaskStatusInfo.Unknown(taskId)) with
            {
                State = StateOf(outcome),
                CompletedAt = outcome.CompletedAt,
                UpdatedAt = updated,
                NextAttemptAt = null,
                Error = outcome.Succeeded ? null : outcome.Error,
            };
        }

        if (recorded is null)
        {
            return TaskStatusInfo.Unknown(taskId);
        }

        return recorded.State == TaskState.Scheduled && recorded.NextAttemptAt is { } due && due <= now
            ? recorded with { State = TaskState.Queued }
            : recorded;
    }
}
