using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using TypedTasks.Brokers;

namespace TypedTasks;

/// <summary>Status records and progress: one entry per tracked task, expiring on the broker's clock.</summary>
internal sealed partial class InMemoryState
{
    private readonly Dictionary<string, StatusEntry> _statuses = new(StringComparer.Ordinal);
    private readonly PriorityQueue<string, DateTimeOffset> _statusExpiryOrder = new();
    private readonly AsyncSignal _progressReported = new();

    /// <summary>Completes at the next progress report of any task. Take it under <see cref="Gate"/>.</summary>
    public Task ProgressReported => _progressReported.NextPulse;

    public bool RecordStatusLocked(string taskId, TaskStatusUpdate update, TimeSpan timeToLive)
    {
        var now = TimeProvider.GetUtcNow();
        var rank = TaskStatusRules.Rank(update);
        var entry = GetStatusEntryLocked(taskId, now);
        if (!TaskStatusRules.Accepts(entry?.Rank, rank))
        {
            return false;
        }

        entry ??= NewStatusEntryLocked(taskId);
        var previous = entry.Recorded;
        var terminal = rank == TaskStatusRules.TerminalRank;
        entry.Rank = rank;
        entry.Recorded = previous with
        {
            State = update.State,
            Attempt = update.Attempt > 0 ? update.Attempt : previous.Attempt,
            Worker = update.Worker ?? previous.Worker,
            EnqueuedAt = update.EnqueuedAt ?? previous.EnqueuedAt,
            StartedAt = update.State == TaskState.Running ? update.At : previous.StartedAt,
            CompletedAt = terminal ? update.At : null,
            UpdatedAt = update.At,
            NextAttemptAt = update.NextAttemptAt,
            // A running attempt keeps the previous attempt's error; success clears it. The record keeps no stack
            // trace (as on Redis): a stored outcome has it.
            Error = update.State == TaskState.Running ? previous.Error : update.Error is { } error ? error with { StackTrace = null } : null,
        };
        SetStatusExpiryLocked(taskId, entry, now + timeToLive);
        return true;
    }

    public long ReportProgressLocked(string taskId, TaskProgressUpdate progress, TimeSpan timeToLive)
    {
        var now = TimeProvider.GetUtcNow();
        var entry = GetStatusEntryLocked(taskId, now) ?? NewStatusEntryLocked(taskId);
        var sequence = (entry.Recorded.Progress?.Sequence ?? 0) + 1;
        var info = new TaskProgressInfo(sequence, progress.Percent, progress.Message, progress.Value.ToArray(), progress.At);
        entry.Recorded = entry.Recorded with { Progress = info, UpdatedAt = progress.At };
        SetStatusExpiryLocked(taskId, entry, now + timeToLive);
        _progressReported.Pulse();
        return sequence;
    }

    /// <summary>The recorded status (not yet combined with the outcome), or <see langword="null"/>.</summary>
    public TaskStatusInfo? GetRecordedStatusLocked(string taskId) =>
        GetStatusEntryLocked(taskId, TimeProvider.GetUtcNow())?.Recorded;

    /// <summary>Forgets a task's status record (a requeued dead letter starts a new run).</summary>
    public void ForgetStatusLocked(string taskId) => _statuses.Remove(taskId);

    private StatusEntry? GetStatusEntryLocked(string taskId, DateTimeOffset now)
    {
        if (!_statuses.TryGetValue(taskId, out var entry))
        {
            return null;
        }

        if (now >= entry.ExpiresAt)
        {
            _statuses.Remove(taskId);
            return null;
        }

        return entry;
    }

    private StatusEntry NewStatusEntryLocked(string taskId)
    {
        var entry = new StatusEntry { Recorded = TaskStatusInfo.Unknown(taskId) };
        _statuses[taskId] = entry;
        return entry;
    }

    private void SetStatusExpiryLocked(string taskId, StatusEntry entry, DateTimeOffset expiresAt)
    {
        // Like a Redis PEXPIRE: every write sets the record's expiry. Each write also evicts what has expired.
        entry.ExpiresAt = expiresAt;
        _statusExpiryOrder.Enqueue(taskId, expiresAt);
        var now = TimeProvider.GetUtcNow();
        while (_statusExpiryOrder.TryPeek(out var id, out var at) && at <= now)
        {
            _statusExpiryOrder.Dequeue();
            if (_statuses.TryGetValue(id, out var stale) && stale.ExpiresAt <= now)
            {
                _statuses.Remove(id);
            }
        }
    }

    private sealed class StatusEntry
    {
        public int? Rank { get; set; }

        public required TaskStatusInfo Recorded { get; set; }

        public DateTimeOffset ExpiresAt { get; set; }
    }
}
