using System.ComponentModel;
using System;
using System.Text.Json.Serialization.Metadata;

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

    /// <summary>
    /// Creates the request of an actor whose sends are unique by arguments (<see cref="ActorAttribute.Unique"/>): unless
    /// <paramref name="options"/> names a <see cref="SendOptions.UniqueKey"/>, the key is derived from actor and
    /// arguments, held for <see cref="SendOptions.UniqueFor"/> if the send sets it, else <paramref name="uniqueForSeconds"/>
    /// (0 = until the outcome is final).
    /// </summary>
    public static TaskRequest CreateUnique(string actor, string queue, ReadOnlyMemory<byte> arguments, SendOptions? options, double uniqueForSeconds)
    {
        var request = new TaskRequest(actor, queue, arguments, options);
        if (options?.UniqueKey is not null)
        {
            return request;
        }

        return request with
        {
            UniqueKey = request.UniqueKey ?? UniqueKeys.ForArguments(actor, arguments.Span),
            UniqueFor = options?.UniqueFor ?? (uniqueForSeconds > 0 ? TimeSpan.FromSeconds(uniqueForSeconds) : null),
        };
    }

    /// <summary>
    /// Creates the request of an actor that is both <see cref="ActorAttribute.Unique"/> and
    /// <see cref="ActorAttribute.TrackStatus"/>: unique as <see cref="CreateUnique(string, string, ReadOnlyMemory{byte}, SendOptions?, double)"/>
    /// and tracked unless <paramref name="options"/> says otherwise.
    /// </summary>
    public static TaskRequest CreateTrackedUnique(string actor, string queue, ReadOnlyMemory<byte> arguments, SendOptions? options, double uniqueForSeconds)
        => CreateUnique(actor, queue, arguments, options, uniqueForSeconds) with { TrackStatus = options?.TrackStatus ?? true };

    /// <summary>Like <see cref="Create(string, string, ReadOnlyMemory{byte}, SendOptions?)"/> for an actor with a result:
    /// the request knows how to read it, so it can start a workflow.</summary>
    public static TaskRequest<TResult> Create<TResult>(string actor, string queue, ReadOnlyMemory<byte> arguments, SendOptions? options, JsonTypeInfo<TResult> resultTypeInfo)
        => new(actor, queue, arguments, options, resultTypeInfo);

    /// <summary>Like <see cref="CreateTracked(string, string, ReadOnlyMemory{byte}, SendOptions?)"/> for an actor with a result.</summary>
    public static TaskRequest<TResult> CreateTracked<TResult>(string actor, string queue, ReadOnlyMemory<byte> arguments, SendOptions? options, JsonTypeInfo<TResult> resultTypeInfo)
        => new(actor, queue, arguments, options, resultTypeInfo) { TrackStatus = options?.TrackStatus ?? true };

    /// <summary>Like <see cref="CreateUnique(string, string, ReadOnlyMemory{byte}, SendOptions?, double)"/> for an actor with a result.</summary>
    public static TaskRequest<TResult> CreateUnique<TResult>(string actor, string queue, ReadOnlyMemory<byte> arguments, SendOptions? options, double uniqueForSeconds, JsonTypeInfo<TResult> resultTypeInfo)
        => new(CreateUnique(actor, queue, arguments, options, uniqueForSeconds), resultTypeInfo);

    /// <summary>Like <see cref="CreateTrackedUnique(string, string, ReadOnlyMemory{byte}, SendOptions?, double)"/> for an actor with a result.</summary>
    public static TaskRequest<TResult> CreateTrackedUnique<TResult>(string actor, string queue, ReadOnlyMemory<byte> arguments, SendOptions? options, double uniqueForSeconds, JsonTypeInfo<TResult> resultTypeInfo)
        => new(CreateTrackedUnique(actor, queue, arguments, options, uniqueForSeconds), resultTypeInfo);
}
