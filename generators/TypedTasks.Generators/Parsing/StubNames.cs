using System;
using Microsoft.CodeAnalysis;

namespace TypedTasks.Generators.Parsing;

/// <summary>
/// The naming rule of stubs: <c>Tasks.&lt;DeclaringType&gt;.&lt;Method&gt;</c>, with an <c>Async</c> suffix dropped
/// (<c>Emails.SendWelcomeAsync</c> becomes <c>Tasks.Emails.SendWelcome</c>). The path mirrors the source, so methods
/// of the same name on different types never clash and a stub's path never depends on the other actors.
/// </summary>
internal static class StubNames
{
    private const string AsyncSuffix = "Async";

    /// <summary>Members of every stub class; a stub of the same name would be a member named like its type (CS0542).</summary>
    private static readonly string[] s_reservedStubNames = ["Name", "Queue", "Actor", "Message", "SendAsync", "Handle", "With", "Step", "Descriptor"];

    /// <summary>Members of <c>Tasks</c> itself, and <c>Tasks</c>, which a nested class may not be named after.</summary>
    private static readonly string[] s_reservedGroupNames = ["Tasks", "Registry", "GeneratedActorRegistry"];

    /// <summary>The group: the declaring type's name (the innermost one for a nested type).</summary>
    public static string Group(IMethodSymbol method) => method.ContainingType.Name;

    /// <summary>The stub: the method name without <c>Async</c>, unless dropping it would make a reserved name or the
    /// group's own name; then the method name as is.</summary>
    public static string Stub(string methodName, string groupName)
    {
        if (methodName.Length > AsyncSuffix.Length && methodName.EndsWith(AsyncSuffix, StringComparison.Ordinal))
        {
            var trimmed = methodName.Substring(0, methodName.Length - AsyncSuffix.Length);
            if (!string.Equals(trimmed, groupName, StringComparison.Ordinal) && Array.IndexOf(s_reservedStubNames, trimmed) < 0)
            {
                return trimmed;
            }
        }

        return methodName;
    }

    /// <summary>The reserved name the stub path would use, or null.</summary>
    public static string? Reserved(string groupName, string stubName) =>
        Array.IndexOf(s_reservedGroupNames, groupName) >= 0 ? groupName
        : Array.IndexOf(s_reservedStubNames, stubName) >= 0 ? stubName
        : null;
}
