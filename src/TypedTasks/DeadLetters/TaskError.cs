using System;

namespace TypedTasks;

/// <summary>Why a message failed, as stored with a dead letter or a failed result.</summary>
/// <param name="Reason">The category.</param>
/// <param name="Type">The exception's full type name, or a short code for broker-detected problems.</param>
/// <param name="Message">A human-readable explanation.</param>
/// <param name="StackTrace">The trimmed stack trace, when there was an exception.</param>
public sealed record TaskError(DeadLetterReason Reason, string Type, string Message, string? StackTrace = null)
{
    /// <summary>Longest stack trace kept, in characters.</summary>
    public const int MaxStackTraceLength = 4000;

    /// <summary>The error of a cancelled task's outcome (<see cref="DeadLetterReason.Cancelled"/>).</summary>
    public static TaskError ForCancellation() => new(DeadLetterReason.Cancelled, nameof(DeadLetterReason.Cancelled), "The task was cancelled.");

    /// <summary>Describes <paramref name="exception"/> (stack trimmed to <see cref="MaxStackTraceLength"/>).</summary>
    public static TaskError FromException(DeadLetterReason reason, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var stack = exception.ToString();
        if (stack.Length > MaxStackTraceLength)
        {
            stack = string.Concat(stack.AsSpan(0, MaxStackTraceLength), "…");
        }

        return new TaskError(reason, exception.GetType().FullName ?? exception.GetType().Name, exception.Message, stack);
    }
}
