using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using TypedTasks.Generated;

namespace TypedTasks;

/// <summary>
/// The dispatch table: wire name to actor. The generator emits one per assembly (<c>Tasks.Registry</c>); combine
/// several with <see cref="ActorRegistry.Combine(IActorRegistry[])"/>.
/// </summary>
public interface IActorRegistry
{
    /// <summary>Every actor, ordered by wire name.</summary>
    IReadOnlyList<ActorDescriptor> Actors { get; }

    /// <summary>Finds an actor by wire name.</summary>
    bool TryGetActor(string name, [NotNullWhen(true)] out ActorDescriptor? actor);
}
