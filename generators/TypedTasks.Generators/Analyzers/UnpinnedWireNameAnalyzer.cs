using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using TypedTasks.Generators.Diagnostics;

namespace TypedTasks.Generators.Analyzers;

/// <summary>
/// TT0012: an <c>[Actor]</c> without <c>Name</c> takes its wire name from the method name, so renaming the method
/// silently renames the actor on the wire and messages already queued dead-letter as <c>UnknownActor</c>.
/// </summary>
/// <remarks>An analyzer rather than a generator diagnostic: it is a suggestion about code that works, it may be
/// suppressed per project, and it must not cost the generator's incremental pipeline anything.</remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnpinnedWireNameAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The method name, as the code fix reads it back from the diagnostic's properties.</summary>
    public const string MethodNameProperty = "MethodName";

    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = [DiagnosticDescriptors.UnpinnedWireName];

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(static start =>
        {
            if (start.Compilation.GetTypeByMetadataName(ActorGenerator.ActorAttribute) is not { } actorAttribute)
            {
                return;
            }

            start.RegisterSymbolAction(symbolContext => Analyze(symbolContext, actorAttribute), SymbolKind.Method);
        });
    }

    private static void Analyze(SymbolAnalysisContext context, INamedTypeSymbol actorAttribute)
    {
        var method = (IMethodSymbol)context.Symbol;
        foreach (var attribute in method.GetAttributes())
        {
            if (!SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, actorAttribute))
            {
                continue;
            }

            foreach (var argument in attribute.NamedArguments)
            {
                if (argument.Key == "Name")
                {
                    return;
                }
            }

            var syntax = attribute.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken) as AttributeSyntax;
            var properties = ImmutableDictionary<string, string?>.Empty.Add(MethodNameProperty, method.Name);
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.UnpinnedWireName,
                syntax?.GetLocation() ?? method.Locations[0],
                properties,
                method.ContainingType.Name + "." + method.Name,
                method.Name));
        }
    }
}
