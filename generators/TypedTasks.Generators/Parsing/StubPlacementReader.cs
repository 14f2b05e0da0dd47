using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using TypedTasks.Generators.Diagnostics;
using TypedTasks.Generators.Helpers;
using TypedTasks.Generators.Model;

namespace TypedTasks.Generators.Parsing;

/// <summary>
/// Decides where <c>Tasks</c> lands: <c>[assembly: TypedTasksStubs]</c> first, then the MSBuild properties
/// <c>TypedTasksStubsNamespace</c> / <c>TypedTasksStubsAccessibility</c>, then the project's <c>RootNamespace</c>
/// and <c>internal</c>.
/// </summary>
internal static class StubPlacementReader
{
    public const string StubsAttribute = "TypedTasks.TypedTasksStubsAttribute";

    /// <summary>The assembly attribute and the namespaces named <c>Tasks</c>: the only facts taken from the compilation.</summary>
    public static StubsSourceSettings ReadSource(Compilation compilation, CancellationToken cancellationToken)
    {
        string? ns = null;
        bool? isPublic = null;
        foreach (var attribute in compilation.Assembly.GetAttributes())
        {
            if (attribute.AttributeClass?.ToDisplayString() != StubsAttribute)
            {
                continue;
            }

            foreach (var argument in attribute.NamedArguments)
            {
                switch (argument.Key)
                {
                    case "Namespace" when argument.Value.Value is string text:
                        ns = text.Trim();
                        break;
                    case "Public" when argument.Value.Value is bool flag:
                        isPublic = flag;
                        break;
                }
            }
        }

        var withTasks = new List<string>();
        FindTasksNamespaces(compilation.Assembly.GlobalNamespace, withTasks, cancellationToken);
        withTasks.Sort(StringComparer.Ordinal);
        return new StubsSourceSettings(ns, isPublic, withTasks.ToEquatableArray());
    }

    public static StubsBuildSettings ReadBuild(AnalyzerConfigOptionsProvider options, CancellationToken cancellationToken)
    {
        var global = options.GlobalOptions;
        return new StubsBuildSettings(Read("RootNamespace"), Read("TypedTasksStubsNamespace"), Read("TypedTasksStubsAccessibility"));

        string? Read(string property) =>
            global.TryGetValue("build_property." + property, out var value) && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
    }

    public static StubPlacementResult Resolve((StubsSourceSettings Source, StubsBuildSettings Build) input, CancellationToken cancellationToken)
    {
        var (source, build) = input;
        var diagnostics = new List<DiagnosticInfo>();

        var ns = source.Namespace ?? build.Namespace ?? build.RootNamespace ?? string.Empty;
        if (!IsValidNamespace(ns))
        {
            var setting = source.Namespace is not null ? "TypedTasksStubs.Namespace" : build.Namespace is not null ? "TypedTasksStubsNamespace" : "RootNamespace";
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidStubsSetting, null, setting, ns, "it is not a C# namespace name, so the global namespace is used"));
            ns = string.Empty;
        }

        var isPublic = source.Public ?? false;
        if (source.Public is null && build.Accessibility is { } accessibility)
        {
            if (string.Equals(accessibility, "public", StringComparison.OrdinalIgnoreCase))
            {
                isPublic = true;
            }
            else if (!string.Equals(accessibility, "internal", StringComparison.OrdinalIgnoreCase))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidStubsSetting, null, "TypedTasksStubsAccessibility", accessibility, "use 'public' or 'internal'; 'internal' is used"));
            }
        }

        // A class Tasks beside a namespace Tasks would not compile (CS0101), and the namespace would shadow the class
        // anyway: the class moves into that namespace, where the code of MyApp.Tasks.* finds it first.
        if (source.NamespacesWithTasks.Contains(ns))
        {
            ns = ns.Length == 0 ? "Tasks" : ns + ".Tasks";
        }

        // The alias is pointless for a class in the global namespace, and would clash (CS0576) with a global
        // namespace named Tasks.
        var hasGlobalAlias = ns.Length > 0 && !source.NamespacesWithTasks.Contains(string.Empty);
        return new StubPlacementResult(new StubPlacement(ns, isPublic, hasGlobalAlias), diagnostics.ToEquatableArray());
    }

    private static bool IsValidNamespace(string ns) =>
        ns.Length == 0 || ns.Split('.').All(static part => SyntaxFacts.IsValidIdentifier(part) && SyntaxFacts.GetKeywordKind(part) == SyntaxKind.None);

    private static void FindTasksNamespaces(INamespaceSymbol parent, List<string> found, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        foreach (var child in parent.GetNamespaceMembers())
        {
            if (child.Name == "Tasks")
            {
                found.Add(parent.IsGlobalNamespace ? string.Empty : parent.ToDisplayString());
            }

            FindTasksNamespaces(child, found, cancellationToken);
        }
    }
}
