using TypedTasks;

namespace TypedTasks.Hosting.Tests.Actors;

/// <summary>An instance actor whose result names the scoped dependency it was built with.</summary>
public sealed class ScopeProbe(ScopedDependency dependency)
{
    [Actor(Name = "hosting.scope-probe")]
    public string WhichScope(int unused) => dependency.Id + ":" + unused;
}
