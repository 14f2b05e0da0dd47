using System;
using System.Threading;
using System.Threading.Tasks;

namespace TypedTasks;

/// <summary>
/// Task status and progress by id: one read per call, no scan. Records expire (the worker uses
/// <see cref="WorkerOptions.ResultTimeToLive"/>, like outcomes); a stored outcome always decides the terminal state.
/// </summary>
public interface ITaskStatusStore
{
    /// <summary>The task's status: the recorded state (tracked tasks) combined with its stored outcome;
    /// <see cref="TaskState.Unknown"/> when neither exists.</summary>
    ValueTask<TaskStatusInfo> GetAsync(string taskId, CancellationToken cancellationToken = default);

    /// <summary>The latest progress the task reported, or <see langword="null"/>.</summary>
    ValueTask<TaskProgressInfo?> GetProgressAsync(string taskId, CancellationToken cancellationToken = default);

    /// <summary>Waits up to <paramref name="timeout"/> for progress with a <see cref="TaskProgressInfo.Sequence"/>
    /// greater than <paramref name="afterSequence"/> (0 = any) and returns it, or <see langword="null"/> when none came
    /// in time. Waits for a notification; it does not poll in a loop.</summary>
    ValueTask<TaskProgressInfo?> WaitForProgressAsync(string taskId, long afterSequence, TimeSpan timeout, CancellationToken cancellationToken = default);

    /// <summary>Records <paramref name="update"/> unless the stored state is newer (<see cref="Brokers.TaskStatusRules"/>):
    /// a terminal state is final, and an older attempt never overwrites a newer one. The record expires after
    /// <paramref name="timeToLive"/>. Returns whether it was recorded.</summary>
    ValueTask<bool> RecordAsync(string taskId, TaskStatusUpdate update, TimeSpan timeToLive, CancellationToken cancellationToken = default);

    /// <summary>Stores <paramref name="progress"/> as the task's latest, notifies waiters and returns its sequence
    /// number; the record expires after <paramref name="timeToLive"/>.</summary>
    ValueTask<long> ReportProgressAsync(string taskId, TaskProgressUpdate progress, TimeSpan timeToLive, CancellationToken cancellationToken = default);
}
