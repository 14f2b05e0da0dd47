using TypedTasks.Generators.Helpers;

namespace TypedTasks.Generators.Model;

/// <summary>The one fact of an actor that the assembly-wide checks and the registry need.</summary>
internal sealed record RegistryEntry(string Key, string StubName, string WireName, string ActorDisplayName, LocationInfo? Location);

/// <summary>The assembly-wide view: actors registered (ordered by wire name) and actors excluded by a name clash.</summary>
/// <param name="Registered">Actors in the registry, ordered by wire name (ordinal).</param>
/// <param name="ExcludedKeys">Keys of actors whose wire or stub name clashes; they generate nothing.</param>
/// <param name="Diagnostics">The clash diagnostics, one on each actor involved.</param>
/// <param name="HasActors">Whether any <c>[Actor]</c> method exists (valid or not): then <c>Tasks.Registry</c> exists too.</param>
internal sealed record ActorSetModel(
    EquatableArray<RegistryEntry> Registered,
    EquatableArray<string> ExcludedKeys,
    EquatableArray<DiagnosticInfo> Diagnostics,
    bool HasActors);
