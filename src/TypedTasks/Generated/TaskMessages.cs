using System.ComponentModel;
using System;

namespace TypedTasks.Generated;

/// <summary>Builds send requests; generated message builders call this.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class TaskMessages
{
    /// <summary>
    /// Creates the request for <paramref name="actor"/> with already-encoded arguments. The client assigns the id,
    /// stamps <see cref="TaskMessage.EnqueuedAt"/> and resolves <see cref="SendOptions.Delay"/> when it sends.
    /// </summary>
    public static TaskRequest Create(string actor, string queue, ReadOnlyMemory<byte> arguments, SendOptions? options)
        => new(actor, queue, arguments, options);
}
