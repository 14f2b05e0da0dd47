using System;
using System.Threading;
using System.Threading.Tasks;

namespace TypedTasks;

/// <summary>Stores task outcomes with an expiry and lets callers wait for them without polling in a hot loop.</summary>
public interface ITaskResultStore
{
    /// <summary>Stores the outcome of <paramref name="taskId"/>; it expires after <paramref name="timeToLive"/>.</summary>
    ValueTask SetAsync(string taskId, TaskOutcome outcome, TimeSpan timeToLive, CancellationToken cancellationToken = default);

    /// <summary>The stored outcome, or <see langword="null"/> if there is none (not finished, not stored, or expired).</summary>
    ValueTask<TaskOutcome?> GetAsync(string taskId, CancellationToken cancellationToken = default);

    /// <summary>Waits up to <paramref name="timeout"/> for the outcome; <see langword="null"/> if none arrived in time.</summary>
    ValueTask<TaskOutcome?> WaitAsync(string taskId, TimeSpan timeout, CancellationToken cancellationToken = default);
}
