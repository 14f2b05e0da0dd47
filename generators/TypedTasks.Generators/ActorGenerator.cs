using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using TypedTasks.Generators.Diagnostics;
using TypedTasks.Generators.Emitting;
using TypedTasks.Generators.Model;
using TypedTasks.Generators.Parsing;

namespace TypedTasks.Generators;

/// <summary>
/// Generates, for every <c>[Actor]</c> method, a typed stub <c>Tasks.&lt;Method&gt;</c> (message builder, senders,
/// descriptor with a reflection-free invoker) and, per assembly, <c>Tasks.Registry</c>, a switch-based dispatch table.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class ActorGenerator : IIncrementalGenerator
{
    internal const string ActorAttribute = "TypedTasks.ActorAttribute";

    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // One model per [Actor] method; symbols stay inside the transform.
        var parsedActors = context.SyntaxProvider
            .ForAttributeWithMetadataName(ActorAttribute, static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax, ActorParser.Parse)
            .WithTrackingName(TrackingNames.ParsedActors);

        // The user's JsonSerializerContexts, the only assembly-wide fact an actor's model depends on.
        var jsonContexts = context.SyntaxProvider
            .ForAttributeWithMetadataName(JsonContextParser.JsonSerializableAttribute, static (node, _) => node is Microsoft.CodeAnalysis.CSharp.Syntax.ClassDeclarationSyntax, JsonContextParser.Parse)
            .Collect()
            .Select(JsonContextParser.Merge)
            .WithTrackingName(TrackingNames.JsonContexts);

        var resolvedActors = parsedActors
            .Combine(jsonContexts)
            .Select(JsonMetadataResolver.Resolve)
            .WithTrackingName(TrackingNames.ResolvedActors);

        // Collected late and small: only the names, for the uniqueness checks and the registry.
        var actorSet = resolvedActors
            .Select(ActorSetAnalyzer.ToEntry)
            .Collect()
            .Select(ActorSetAnalyzer.Analyze)
            .WithTrackingName(TrackingNames.ActorSet);

        var actorsToEmit = resolvedActors
            .Combine(actorSet.Select(static (set, _) => set.ExcludedKeys))
            .Select(static (pair, _) => pair.Left.Actor is { } actor && pair.Right.Contains(actor.Key) ? pair.Left with { Actor = null } : pair.Left)
            .WithTrackingName(TrackingNames.ActorsToEmit);

        context.RegisterSourceOutput(actorsToEmit, EmitActor);
        context.RegisterSourceOutput(actorSet, EmitRegistry);
    }

    private static void EmitActor(SourceProductionContext context, ActorParseResult result)
    {
        foreach (var diagnostic in result.Diagnostics)
        {
            context.ReportDiagnostic(diagnostic.ToDiagnostic());
        }

        if (result.Actor is not { } actor)
        {
            return;
        }

        string source;
        try
        {
            source = ActorStubEmitter.Emit(actor, context.CancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.InternalFailure, actor.NameLocation?.ToLocation(), actor.MethodDisplayName, exception.GetType().Name + ": " + exception.Message));
            return;
        }

        context.AddSource(ActorStubEmitter.HintName(actor), source);
    }

    private static void EmitRegistry(SourceProductionContext context, ActorSetModel set)
    {
        foreach (var diagnostic in set.Diagnostics)
        {
            context.ReportDiagnostic(diagnostic.ToDiagnostic());
        }

        if (set.HasActors)
        {
            context.AddSource(RegistryEmitter.HintName, RegistryEmitter.Emit(set));
        }
    }
}
