using System;

namespace TypedTasks;

/// <summary>Builds envelopes; generated message builders call this.</summary>
public static class TaskMessages
{
    /// <summary>
    /// Creates the envelope for <paramref name="actor"/> with already-encoded arguments. The client stamps
    /// <see cref="TaskMessage.EnqueuedAt"/> and resolves <see cref="SendOptions.Delay"/> when it sends.
    /// </summary>
    public static TaskMessage Create(string actor, string queue, ReadOnlyMemory<byte> arguments, SendOptions? options)
    {
        ArgumentException.ThrowIfNullOrEmpty(actor);
        ArgumentException.ThrowIfNullOrEmpty(queue);
        if (options?.TaskId is { } taskId)
        {
            WireNames.ThrowIfInvalid(taskId, "task id", nameof(options));
        }

        if (options?.Queue is { } queueOverride)
        {
            WireNames.ThrowIfInvalid(queueOverride, "queue name", nameof(options));
        }
        return new TaskMessage
        {
            Id = options?.TaskId ?? TaskId.NewId(),
            Actor = actor,
            Queue = options?.Queue ?? queue,
            Arguments = arguments,
            Delay = options?.Delay,
            DueAt = options?.Delay is null ? options?.NotBefore : null,
            Headers = options?.Headers,
        };
    }
}
