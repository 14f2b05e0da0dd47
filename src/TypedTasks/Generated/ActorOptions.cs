using System.ComponentModel;
using System;

namespace TypedTasks.Generated;

/// <summary>
/// The per-actor settings the generator read from <see cref="ActorAttribute"/>. A <see langword="null"/> value means
/// "use the worker's default".
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ActorOptions
{
    /// <summary>No per-actor overrides.</summary>
    public static ActorOptions Default { get; } = new();

    /// <summary>Retries after the first attempt before dead-lettering.</summary>
    public int? MaxRetries { get; init; }

    /// <summary>Backoff before the first retry; doubles per retry.</summary>
    public TimeSpan? MinBackoff { get; init; }

    /// <summary>Upper bound of the backoff.</summary>
    public TimeSpan? MaxBackoff { get; init; }

    /// <summary>How long one attempt may run.</summary>
    public TimeSpan? TimeLimit { get; init; }

    /// <summary>Age (since first enqueue) after which a message is dead-lettered instead of run.</summary>
    public TimeSpan? MaxAge { get; init; }

    /// <summary>Worker-local ordering among fetched messages; higher first.</summary>
    public int Priority { get; init; }

    /// <summary>Whether the outcome is written to the result store.</summary>
    public bool StoreResults { get; init; }

    /// <summary>How the actor's process spans relate to the send span; <see cref="TraceParenting.Auto"/> = the worker's default.</summary>
    public TraceParenting TraceParenting { get; init; }

    /// <summary>Whether the actor's tasks record their status by default (<see cref="ActorAttribute.TrackStatus"/>).</summary>
    public bool TrackStatus { get; init; }
}
