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

    /// <summary>
    /// Creates the request for an actor declared with <see cref="ActorAttribute.TrackStatus"/>: tracked unless
    /// <paramref name="options"/> says otherwise.
    /// </summary>
    public static TaskRequest CreateTracked(string actor, string queue, ReadOnlyMemory<byte> arguments, SendOptions? options)
        => new(actor, queue, arguments, options) { TrackStatus = options?.TrackStatus ?? true };
}
