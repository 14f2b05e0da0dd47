using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using TypedTasks.Generators.Diagnostics;
using TypedTasks.Generators.Emitting;
using TypedTasks.Generators.Helpers;
using TypedTasks.Generators.Model;
using TypedTasks.Generators.Parsing;

namespace TypedTasks.Generators;

/// <summary>
/// Generates, for every <c>[Actor]</c> method, a typed stub <c>Tasks.&lt;Type&gt;.&lt;Method&gt;</c> (message builder,
/// senders, descriptor with a reflection-free invoker) and, per assembly, <c>Tasks.Registry</c>, a switch-based
/// dispatch table. <c>Tasks</c> lands in the project's root namespace unless <c>[assembly: TypedTasksStubs]</c> says otherwise.
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

        // Where Tasks lands: two small facts, one from the compilation, one from the project file.
        var placement = context.CompilationProvider
            .Select(StubPlacementReader.ReadSource)
            .Combine(context.AnalyzerConfigOptionsProvider.Select(StubPlacementReader.ReadBuild))
            .Select(StubPlacementReader.Resolve)
            .WithTrackingName(TrackingNames.Placement);

        var actorsToEmit = resolvedActors
            .Combine(actorSet.Select(static (set, _) => (set.ShapeOnlyKeys, set.SuppressedKeys)))
            .Combine(placement.Select(static (result, _) => result.Placement))
            .Select(static (input, _) => ToOutput(input.Left.Left, input.Left.Right.ShapeOnlyKeys, input.Left.Right.SuppressedKeys, input.Right))
            .WithTrackingName(TrackingNames.ActorsToEmit);

        // The registry sees no locations: moving an actor around leaves it cached.
        var registry = actorSet
            .Select(static (set, _) => set.Registry)
            .Combine(placement.Select(static (result, _) => result.Placement))
            .Select(static (input, _) => new RegistryModel(input.Left, input.Right))
            .WithTrackingName(TrackingNames.Registry);

        context.RegisterSourceOutput(actorsToEmit, EmitActor);
        context.RegisterSourceOutput(registry, EmitRegistry);
        context.RegisterSourceOutput(actorSet.Select(static (set, _) => set.Diagnostics), ReportDiagnostics);
        context.RegisterSourceOutput(placement.Select(static (result, _) => result.Diagnostics), ReportDiagnostics);
    }

    private static ActorOutputModel ToOutput(
        ActorParseResult result, EquatableArray<string> shapeOnlyKeys, EquatableArray<string> suppressedKeys, StubPlacement placement)
    {
        if (result.Actor is not { } actor || suppressedKeys.Contains(actor.Key))
        {
            return new ActorOutputModel(null, IsShapeOnly: false, result.Diagnostics, placement);
        }

        return new ActorOutputModel(actor, !result.IsValid || shapeOnlyKeys.Contains(actor.Key), result.Diagnostics, placement);
    }

    private static void EmitActor(SourceProductionContext context, ActorOutputModel output)
    {
        ReportDiagnostics(context, output.Diagnostics);
        if (output.Actor is not { } actor)
        {
            return;
        }

        string source;
        try
        {
            source = ActorStubEmitter.Emit(actor, output.Placement, output.IsShapeOnly, context.CancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.InternalFailure, actor.NameLocation?.ToLocation(), actor.MethodDisplayName, exception.GetType().Name + ": " + exception.Message));
            return;
        }

        context.AddSource(ActorStubEmitter.HintName(actor), source);
    }

    private static void EmitRegistry(SourceProductionContext context, RegistryModel registry)
    {
        if (registry.Set.HasActors)
        {
            context.AddSource(RegistryEmitter.HintName, RegistryEmitter.Emit(registry));
        }
    }

    private static void ReportDiagnostics(SourceProductionContext context, EquatableArray<DiagnosticInfo> diagnostics)
    {
        foreach (var diagnostic in diagnostics)
        {
            context.ReportDiagnostic(diagnostic.ToDiagnostic());
        }
    }
}
