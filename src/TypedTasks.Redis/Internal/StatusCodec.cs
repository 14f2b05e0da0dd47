using System;
using System.Collections.Generic;
using System.Globalization;
using StackExchange.Redis;

namespace TypedTasks.Redis.Internal;

/// <summary>Status records and progress as fields of <c>P:status:{ID}</c> (docs/redis.md, "Status hash fields").
/// Empty values stand for "none", so an update can clear what an earlier one set.</summary>
internal static class StatusCodec
{
    public static void AddUpdate(List<RedisValue> args, TaskStatusUpdate update, bool terminal)
    {
        Add(args, Fields.StatusState, (int)update.State);
        Add(args, Fields.StatusUpdatedAt, update.At.ToUnixTimeMilliseconds());
        if (update.Attempt > 0)
        {
            Add(args, Fields.StatusAttempt, update.Attempt);
        }

        if (update.Worker is not null)
        {
            Add(args, Fields.StatusWorker, update.Worker);
        }

        if (update.EnqueuedAt is { } enqueued)
        {
            Add(args, Fields.StatusEnqueuedAt, enqueued.ToUnixTimeMilliseconds());
        }

        if (update.State == TaskState.Running)
        {
            Add(args, Fields.StatusStartedAt, update.At.ToUnixTimeMilliseconds());
        }

        Add(args, Fields.StatusNextAt, update.NextAttemptAt is { } next ? next.ToUnixTimeMilliseconds() : RedisValue.EmptyString);
        Add(args, Fields.StatusFinishedAt, terminal ? update.At.ToUnixTimeMilliseconds() : RedisValue.EmptyString);
        if (update.State != TaskState.Running)
        {
            // A running attempt keeps the failed attempt's error; every other state sets or clears it.
            Add(args, Fields.StatusErrorReason, update.Error is { } e ? e.Reason.ToString() : RedisValue.EmptyString);
            Add(args, Fields.StatusErrorType, update.Error?.Type ?? RedisValue.EmptyString);
            Add(args, Fields.StatusErrorMessage, update.Error?.Message ?? RedisValue.EmptyString);
        }
    }

    public static void AddProgress(List<RedisValue> args, TaskProgressUpdate progress)
    {
        Add(args, Fields.ProgressPercent, progress.Percent is { } p ? p.ToString("R", CultureInfo.InvariantCulture) : RedisValue.EmptyString);
        Add(args, Fields.ProgressMessage, progress.Message ?? RedisValue.EmptyString);
        Add(args, Fields.ProgressValue, progress.Value);
        Add(args, Fields.ProgressAt, progress.At.ToUnixTimeMilliseconds());
    }

    /// <summary>The recorded status (not yet combined with the outcome), or <see langword="null"/> for no record.</summary>
    public static TaskStatusInfo? Decode(string taskId, HashEntry[] hash)
    {
        if (hash.Length == 0)
        {
            return null;
        }

        RedisValue state = default, attempt = default, worker = default, enqueued = default, started = default, updated = default;
        RedisValue next = default, finished = default, reason = default, type = default, message = default;
        RedisValue sequence = default, percent = default, progressMessage = default, value = default, progressAt = default;
        foreach (var entry in hash)
        {
            var name = entry.Name;
            if (name == Fields.StatusState) { state = entry.Value; }
            else if (name == Fields.StatusAttempt) { attempt = entry.Value; }
            else if (name == Fields.StatusWorker) { worker = entry.Value; }
            else if (name == Fields.StatusEnqueuedAt) { enqueued = entry.Value; }
            else if (name == Fields.StatusStartedAt) { started = entry.Value; }
            else if (name == Fields.StatusUpdatedAt) { updated = entry.Value; }
            else if (name == Fields.StatusNextAt) { next = entry.Value; }
            else if (name == Fields.StatusFinishedAt) { finished = entry.Value; }
            else if (name == Fields.StatusErrorReason) { reason = entry.Value; }
            else if (name == Fields.StatusErrorType) { type = entry.Value; }
            else if (name == Fields.StatusErrorMessage) { message = entry.Value; }
            else if (name == Fields.ProgressSequence) { sequence = entry.Value; }
            else if (name == Fields.ProgressPercent) { percent = entry.Value; }
            else if (name == Fields.ProgressMessage) { progressMessage = entry.Value; }
            else if (name == Fields.ProgressValue) { value = entry.Value; }
            else if (name == Fields.ProgressAt) { progressAt = entry.Value; }
        }

        TaskError? error = null;
        if (!type.IsNullOrEmpty)
        {
            error = new TaskError(
                Enum.TryParse<DeadLetterReason>(reason.ToString(), out var parsed) ? parsed : DeadLetterReason.NonRetryable,
                type.ToString(),
                message.ToString());
        }

        var progress = DecodeProgress(sequence, percent, progressMessage, value, progressAt);
        var progressTime = progress?.ReportedAt;
        var updatedAt = Time(updated);
        return new TaskStatusInfo(taskId, state.TryParse(out int s) && Enum.IsDefined((TaskState)s) ? (TaskState)s : TaskState.Unknown)
        {
            Attempt = attempt.TryParse(out int a) ? a : 0,
            Worker = worker.IsNullOrEmpty ? null : worker.ToString(),
            EnqueuedAt = Time(enqueued),
            StartedAt = Time(started),
            CompletedAt = Time(finished),
            UpdatedAt = updatedAt is { } u && progressTime is { } p ? (u > p ? u : p) : updatedAt ?? progressTime,
            NextAttemptAt = Time(next),
            Error = error,
            Progress = progress,
        };
    }

    public static TaskProgressInfo? DecodeProgress(RedisValue sequence, RedisValue percent, RedisValue message, RedisValue value, RedisValue at)
    {
        if (!sequence.TryParse(out long seq) || seq <= 0)
        {
            return null;
        }

        double? pct = !percent.IsNullOrEmpty && double.TryParse(percent.ToString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;
        var bytes = value.IsNullOrEmpty ? ReadOnlyMemory<byte>.Empty : (ReadOnlyMemory<byte>)(byte[])value!;
        return new TaskProgressInfo(seq, pct, message.IsNullOrEmpty ? null : message.ToString(), bytes, Time(at) ?? default);
    }

    private static DateTimeOffset? Time(RedisValue value) =>
        !value.IsNullOrEmpty && value.TryParse(out long ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    private static void Add(List<RedisValue> args, RedisValue name, RedisValue value)
    {
        args.Add(name);
        args.Add(value);
    }
}
