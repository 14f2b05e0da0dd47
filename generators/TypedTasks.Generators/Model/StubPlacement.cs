namespace TypedTasks.Generators.Model;

/// <summary>Where the generated <c>Tasks</c> class lands and who may call it.</summary>
/// <remarks>Immutable and structurally equal: every actor's output depends on it, so it must compare equal across
/// runs for the outputs to stay cached.</remarks>
/// <param name="Namespace">The namespace of <c>Tasks</c>; empty for the global namespace.</param>
/// <param name="IsPublic">Whether <c>Tasks</c> is <c>public</c> (otherwise <c>internal</c>).</param>
/// <param name="HasGlobalAlias">Whether a <c>global using Tasks = ...;</c> makes the class reachable as <c>Tasks</c>
/// from every file of the project, top-level statements and other namespaces included.</param>
internal sealed record StubPlacement(string Namespace, bool IsPublic, bool HasGlobalAlias)
{

    /// <summary>The class as generated code names it: <c>global::MyApp.Tasks</c>.</summary>
    public string TasksTypeName => Namespace.Length == 0 ? "global::Tasks" : "global::" + Namespace + ".Tasks";

    /// <summary>The stub class of one actor: <c>global::MyApp.Tasks.Invoices.Generate</c>.</summary>
    public string StubTypeName(ActorModel actor) => TasksTypeName + "." + actor.GroupName + "." + actor.StubName;
}

/// <summary>What the assembly's own code says about the placement: <c>[assembly: TypedTasksStubs]</c>, and which
/// namespaces already contain a namespace named <c>Tasks</c> (where a class <c>Tasks</c> would clash).</summary>
/// <param name="Namespace">The attribute's <c>Namespace</c>; null when not set.</param>
/// <param name="Public">The attribute's <c>Public</c>; null when not set.</param>
/// <param name="NamespacesWithTasks">Full names (ordinal order, empty for global) of source namespaces that contain a
/// namespace <c>Tasks</c>.</param>
internal sealed record StubsSourceSettings(string? Namespace, bool? Public, Helpers.EquatableArray<string> NamespacesWithTasks);

/// <summary>What the project file says: MSBuild <c>RootNamespace</c>, <c>TypedTasksStubsNamespace</c> and
/// <c>TypedTasksStubsAccessibility</c>, as the analyzer config exposes them.</summary>
internal sealed record StubsBuildSettings(string? RootNamespace, string? Namespace, string? Accessibility);

/// <summary>The resolved placement and the diagnostics of settings that could not be used.</summary>
internal sealed record StubPlacementResult(StubPlacement Placement, Helpers.EquatableArray<DiagnosticInfo> Diagnostics);
