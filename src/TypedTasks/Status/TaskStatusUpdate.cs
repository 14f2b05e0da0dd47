using System;

namespace TypedTasks;

/// <summary>One status write (clients record <see cref="TaskState.Queued"/>/<see cref="TaskState.Scheduled"/>, workers
/// the rest). A store keeps the fields of the latest update it accepted (<see cref="Brokers.TaskStatusRules"/>).</summary>
/// <param name="State">The state to record.</param>
/// <param name="At">When it happened.</param>
public sealed record TaskStatusUpdate(TaskState State, DateTimeOffset At)
{
    /// <summary>The attempt that started (<see cref="TaskState.Running"/>), that failed (<see cref="TaskState.Retrying"/>)
    /// or that was the last (terminal states); 0 for <see cref="TaskState.Queued"/> and <see cref="TaskState.Scheduled"/>.</summary>
    public int Attempt { get; init; }

    /// <summary>The worker's consumer name (<see cref="TaskState.Running"/>).</summary>
    public string? Worker { get; init; }

    /// <summary>The message's first enqueue time.</summary>
    public DateTimeOffset? EnqueuedAt { get; init; }

    /// <summary>The due time (<see cref="TaskState.Scheduled"/>) or the next attempt's (<see cref="TaskState.Retrying"/>).</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>The failed attempt's error (<see cref="TaskState.Retrying"/>) or the final one.</summary>
    public TaskError? Error { get; init; }
}
