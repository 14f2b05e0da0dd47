using System;
using System.Threading;
using System.Threading.Tasks;
using TypedTasks.Brokers;

namespace TypedTasks;

/// <summary>
/// The <see cref="InMemoryBroker"/>'s status records: a view on <see cref="InMemoryState"/>, so a read sees the record
/// and the outcome at one instant, and requeueing a dead letter forgets both at once.
/// </summary>
/// <remarks>As with outcomes, the wait timeout is measured on the wall clock, expiry on the broker's clock.</remarks>
internal sealed class InMemoryStatusStore(InMemoryState state) : ITaskStatusStore
{
    public ValueTask<TaskStatusInfo> GetAsync(string taskId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(taskId);
        lock (state.Gate)
        {
            return ValueTask.FromResult(TaskStatusRules.Combine(
                taskId, state.GetRecordedStatusLocked(taskId), state.GetOutcomeLocked(taskId), state.TimeProvider.GetUtcNow()));
        }
    }

    public ValueTask<TaskProgressInfo?> GetProgressAsync(string taskId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(taskId);
        lock (state.Gate)
        {
            return ValueTask.FromResult(state.GetRecordedStatusLocked(taskId)?.Progress);
        }
    }

    public async ValueTask<TaskProgressInfo?> WaitForProgressAsync(string taskId, long afterSequence, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(taskId);
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            Task reported;
            lock (state.Gate)
            {
                if (state.GetRecordedStatusLocked(taskId)?.Progress is { } progress && progress.Sequence > afterSequence)
                {
                    return progress;
                }

                reported = state.ProgressReported;
            }

            var remaining = deadline - DateTimeOffset.UtcNow;
            if (remaining <= TimeSpan.Zero)
            {
                return null;
            }

            try
            {
                await reported.WaitAsync(remaining, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                return null;
            }
        }
    }

    public ValueTask<bool> RecordAsync(string taskId, TaskStatusUpdate update, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(taskId);
        ArgumentNullException.ThrowIfNull(update);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeToLive, TimeSpan.Zero);
        lock (state.Gate)
        {
            return ValueTask.FromResult(state.RecordStatusLocked(taskId, update, timeToLive));
        }
    }

    public ValueTask<long> ReportProgressAsync(string taskId, TaskProgressUpdate progress, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(taskId);
        ArgumentNullException.ThrowIfNull(progress);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeToLive, TimeSpan.Zero);
        lock (state.Gate)
        {
            return ValueTask.FromResult(state.ReportProgressLocked(taskId, progress, timeToLive));
        }
    }
}
