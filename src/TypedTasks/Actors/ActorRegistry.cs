using System;
using System.Collections.Frozen;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using TypedTasks.Generated;

namespace TypedTasks;

/// <summary>Builds registries from descriptors, and combines the registries of several assemblies.</summary>
public sealed class ActorRegistry : IActorRegistry
{
    private readonly FrozenDictionary<string, ActorDescriptor> _byName;

    /// <summary>Creates a registry from descriptors; wire names must be unique.</summary>
    public ActorRegistry(IEnumerable<ActorDescriptor> actors)
    {
        ArgumentNullException.ThrowIfNull(actors);
        var byName = new Dictionary<string, ActorDescriptor>(StringComparer.Ordinal);
        foreach (var actor in actors)
        {
            if (!byName.TryAdd(actor.Name, actor))
            {
                throw new ArgumentException($"Two actors share the wire name '{actor.Name}'.", nameof(actors));
            }
        }

        _byName = byName.ToFrozenDictionary(StringComparer.Ordinal);
        Actors = byName.Values.OrderBy(static a => a.Name, StringComparer.Ordinal).ToArray();
    }

    /// <inheritdoc />
    public IReadOnlyList<ActorDescriptor> Actors { get; }

    /// <inheritdoc />
    public bool TryGetActor(string name, [NotNullWhen(true)] out ActorDescriptor? actor) => _byName.TryGetValue(name, out actor);

    /// <summary>One registry over several (for actors spread across assemblies).</summary>
    public static IActorRegistry Combine(params IActorRegistry[] registries)
    {
        ArgumentNullException.ThrowIfNull(registries);
        return registries.Length == 1 ? registries[0] : new ActorRegistry(registries.SelectMany(static r => r.Actors));
    }
}
