using TypedTasks.Generators.Helpers;

namespace TypedTasks.Generators.Model;

/// <summary>The one fact of an actor (valid or shape-only) that the assembly-wide checks and the registry need.</summary>
/// <param name="IsValid">Whether the actor has no errors of its own; only valid actors are registered.</param>
/// <param name="TypeDocumentationId">The declaring type's documentation id, for the group's docs.</param>
internal sealed record RegistryEntry(
    string Key, string GroupName, string StubName, string WireName, string ActorDisplayName, string TypeDocumentationId,
    bool IsValid, bool IsPublic, LocationInfo? Location, EquatableArray<string> ScheduleNames)
{
    public string StubPath => GroupName + "." + StubName;
}

/// <summary>The assembly-wide view: which actors are registered, which only get a shape, which get nothing.</summary>
/// <param name="Registry">What the registry file needs; holds no locations, so moving code around leaves it equal.</param>
/// <param name="ShapeOnlyKeys">Keys of otherwise valid actors whose wire name clashes: they get throwing stubs only.</param>
/// <param name="SuppressedKeys">Keys of actors whose stub path clashes: they generate nothing.</param>
/// <param name="Diagnostics">The clash diagnostics, one on each actor involved.</param>
internal sealed record ActorSetModel(
    RegistrySetModel Registry,
    EquatableArray<string> ShapeOnlyKeys,
    EquatableArray<string> SuppressedKeys,
    EquatableArray<DiagnosticInfo> Diagnostics);

/// <summary>The registry's input: registered stubs ordered by wire name, and every group class with its types.</summary>
/// <param name="HasActors">Whether any <c>[Actor]</c> method exists (valid or not): then <c>Tasks</c> and its
/// <c>Registry</c> exist too, so call sites of a broken actor still find the class.</param>
internal sealed record RegistrySetModel(EquatableArray<RegistryLine> Registered, EquatableArray<GroupModel> Groups, bool HasActors);

/// <summary>One registered actor: its stub under <c>Tasks</c>.</summary>
internal sealed record RegistryLine(string GroupName, string StubName);

/// <summary>A class under <c>Tasks</c> named after the type(s) declaring actors.</summary>
/// <param name="TypeDocumentationIds">The declaring types (ordinal order), for the class's summary.</param>
/// <param name="HasPublicStubs">Whether any of its stubs may be public; if none, the group stays internal too.</param>
internal sealed record GroupModel(string Name, EquatableArray<string> TypeDocumentationIds, bool HasPublicStubs);

/// <summary>The registry file's whole input.</summary>
internal sealed record RegistryModel(RegistrySetModel Set, StubPlacement Placement);

/// <summary>One actor file's whole input.</summary>
/// <param name="Actor">Null when the actor generates nothing (unknown types, or a clash a stub cannot survive).</param>
/// <param name="IsShapeOnly">The actor has errors: its stub keeps its signatures, with bodies that throw, so that
/// call sites compile and the actor's diagnostic is the only error.</param>
internal sealed record ActorOutputModel(ActorModel? Actor, bool IsShapeOnly, EquatableArray<DiagnosticInfo> Diagnostics, StubPlacement Placement);
