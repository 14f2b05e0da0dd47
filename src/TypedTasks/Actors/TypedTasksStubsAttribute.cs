using System;

namespace TypedTasks;

/// <summary>
/// Chooses where the generated <c>Tasks</c> class of this assembly lands and who can call it:
/// <c>[assembly: TypedTasksStubs(Namespace = "MyApp.Messaging", Public = true)]</c>.
/// </summary>
/// <remarks>
/// Without it the class goes into the project's root namespace (MSBuild <c>RootNamespace</c>, or
/// <c>TypedTasksStubsNamespace</c> when set) and is <see langword="internal"/> unless the MSBuild property
/// <c>TypedTasksStubsAccessibility</c> is <c>public</c>. This attribute wins over both properties. Read by the
/// generator at compile time only.
/// </remarks>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = false, Inherited = false)]
public sealed class TypedTasksStubsAttribute : Attribute
{
    /// <summary>The namespace of the generated <c>Tasks</c> class; an empty string means the global namespace.
    /// Null (the default) keeps the project's root namespace.</summary>
    public string? Namespace { get; set; }

    /// <summary>Makes the generated <c>Tasks</c> class <see langword="public"/>, so other projects call this
    /// assembly's actors directly. Stubs whose signature uses a non-public type stay <see langword="internal"/>.</summary>
    public bool Public { get; set; }
}
