using System.Linq;
using Microsoft.CodeAnalysis;
using TypedTasks.Generators.Helpers;

namespace TypedTasks.Generators.Model;

/// <summary>A diagnostic as data: it travels beside the models and becomes a <see cref="Diagnostic"/> when reported.</summary>
/// <remarks>Immutable and structurally equal (a <see cref="DiagnosticDescriptor"/> compares by value), or caching breaks.</remarks>
internal sealed record DiagnosticInfo(DiagnosticDescriptor Descriptor, LocationInfo? Location, EquatableArray<string> MessageArguments)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, LocationInfo? location, params string[] messageArguments) =>
        new(descriptor, location, new EquatableArray<string>(messageArguments));

    public Diagnostic ToDiagnostic() =>
        Diagnostic.Create(Descriptor, Location?.ToLocation(), MessageArguments.Select(static argument => (object?)argument).ToArray());
}
