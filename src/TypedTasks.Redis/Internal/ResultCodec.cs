using System;
using System.Collections.Generic;
using StackExchange.Redis;

namespace TypedTasks.Redis.Internal;

/// <summary>A <see cref="TaskOutcome"/> as hash fields: <c>ok</c>, <c>v</c> (raw JSON bytes), <c>at</c>, and on failure
/// <c>reason</c>, <c>type</c>, <c>msg</c>, <c>stack</c>.</summary>
internal static class ResultCodec
{
    public static void AddFields(List<RedisValue> args, TaskOutcome outcome)
    {
        args.Add(Fields.ResultSucceeded);
        args.Add(outcome.Succeeded ? 1 : 0);
        args.Add(Fields.ResultValue);
        args.Add(outcome.Value);
        args.Add(Fields.ResultAt);
        args.Add(outcome.CompletedAt.ToUnixTimeMilliseconds());
        if (outcome.Error is { } error)
        {
            AddErrorFields(args, error);
        }
    }

    /// <summary>An error's fields (<c>reason</c>, <c>type</c>, <c>msg</c>, <c>stack</c>), as an outcome stores them.</summary>
    public static void AddErrorFields(List<RedisValue> args, TaskError error)
    {
        args.Add(Fields.ResultReason);
        args.Add(error.Reason.ToString());
        args.Add(Fields.ResultType);
        args.Add(error.Type);
        args.Add(Fields.ResultMessage);
        args.Add(error.Message);
        if (error.StackTrace is not null)
        {
            args.Add(Fields.ResultStack);
            args.Add(error.StackTrace);
        }
    }

    /// <summary>The error those fields describe, or <see langword="null"/> when neither a reason nor a type is stored.</summary>
    public static TaskError? ErrorOf(RedisValue reason, RedisValue type, RedisValue message, RedisValue stack) =>
        type.IsNull && reason.IsNull
            ? null
            : new TaskError(
                Enum.TryParse<DeadLetterReason>(reason.ToString(), out var parsed) ? parsed : DeadLetterReason.NonRetryable,
                type.ToString(),
                message.ToString(),
                stack.IsNull ? null : stack.ToString());

    public static TaskOutcome? Decode(HashEntry[] hash)
    {
        if (hash.Length == 0)
        {
            return null;
        }

        RedisValue ok = default, value = default, at = default, reason = default, type = default, message = default, stack = default;
        foreach (var entry in hash)
        {
            var name = entry.Name;
            if (name == Fields.ResultSucceeded) { ok = entry.Value; }
            else if (name == Fields.ResultValue) { value = entry.Value; }
            else if (name == Fields.ResultAt) { at = entry.Value; }
            else if (name == Fields.ResultReason) { reason = entry.Value; }
            else if (name == Fields.ResultType) { type = entry.Value; }
            else if (name == Fields.ResultMessage) { message = entry.Value; }
            else if (name == Fields.ResultStack) { stack = entry.Value; }
        }

        var error = ErrorOf(reason, type, message, stack);
        var completedAt = at.TryParse(out long atMs) ? DateTimeOffset.FromUnixTimeMilliseconds(atMs) : default;
        var bytes = value.IsNullOrEmpty ? ReadOnlyMemory<byte>.Empty : (ReadOnlyMemory<byte>)(byte[])value!;
        return new TaskOutcome(ok.TryParse(out int succeeded) && succeeded == 1, bytes, error, completedAt);
    }
}
