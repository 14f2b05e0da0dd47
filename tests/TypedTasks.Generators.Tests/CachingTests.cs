using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using TypedTasks.Generators.Tests.Infrastructure;

namespace TypedTasks.Generators.Tests;

/// <summary>The pipeline stays incremental: equal inputs give equal models and cached outputs; models hold no
/// symbols, syntax or compilations (which would keep old compilations alive and defeat caching).</summary>
public sealed class CachingTests
{
    private static readonly string[] s_steps =
    [
        TrackingNames.ParsedActors,
        TrackingNames.JsonContexts,
        TrackingNames.ResolvedActors,
        TrackingNames.ActorSet,
        TrackingNames.Placement,
        TrackingNames.ActorsToEmit,
        TrackingNames.Registry,
    ];

    private static readonly Type[] s_bannedTypes =
        [typeof(ISymbol), typeof(SyntaxNode), typeof(SyntaxTree), typeof(Compilation), typeof(SemanticModel), typeof(AttributeData), typeof(Location)];

    [Fact]
    public void Same_compilation_twice_gives_equal_models_and_cached_outputs()
    {
        var compilation = CreateCompilation();
        var driver = GeneratorHarness.CreateDriver(withJsonGenerator: false).RunGenerators(compilation);
        var first = ActorResult(driver);

        driver = driver.RunGenerators(compilation.Clone());
        var second = ActorResult(driver);

        foreach (var step in s_steps)
        {
            Assert.Equal(Values(first, step), Values(second, step));
        }

        AssertAllCached(second);
        Assert.Equal(first.GeneratedSources.Select(static s => s.SourceText.ToString()), second.GeneratedSources.Select(static s => s.SourceText.ToString()));
    }

    [Fact]
    public void Adding_an_unrelated_file_reuses_every_actor_step()
    {
        var compilation = CreateCompilation();
        var driver = GeneratorHarness.CreateDriver(withJsonGenerator: false).RunGenerators(compilation);

        driver = driver.RunGenerators(compilation.AddSyntaxTrees(
            CSharpSyntaxTree.ParseText("namespace App; public static class Unrelated { public static int Two() => 2; }", GeneratorHarness.ParseOptions)));

        AssertAllCached(ActorResult(driver));
    }

    [Fact]
    public void Editing_an_actor_body_reuses_every_actor_step()
    {
        var compilation = CreateCompilation();
        var driver = GeneratorHarness.CreateDriver(withJsonGenerator: false).RunGenerators(compilation);
        var tree = compilation.SyntaxTrees.First();
        var edited = tree.WithChangedText(tree.GetText().Replace(
            tree.GetText().ToString().IndexOf("left + right", StringComparison.Ordinal), "left + right".Length, "right + left"));

        driver = driver.RunGenerators(compilation.ReplaceSyntaxTree(tree, edited));

        var result = ActorResult(driver);
        Assert.Contains(result.TrackedSteps[TrackingNames.ParsedActors].SelectMany(static s => s.Outputs), static o => o.Reason == IncrementalStepRunReason.Unchanged);
        AssertAllCached(result);
    }

    [Fact]
    public void Editing_an_actor_signature_regenerates_that_actor_only()
    {
        var compilation = CreateCompilation();
        var driver = GeneratorHarness.CreateDriver(withJsonGenerator: false).RunGenerators(compilation);
        var tree = compilation.SyntaxTrees.First();
        var text = tree.GetText().ToString();
        var edited = tree.WithChangedText(tree.GetText().Replace(text.IndexOf("int right", StringComparison.Ordinal), "int right".Length, "int other"));

        driver = driver.RunGenerators(compilation.ReplaceSyntaxTree(tree, edited));

        var reasons = ActorResult(driver).TrackedSteps[TrackingNames.ActorsToEmit].SelectMany(static s => s.Outputs).Select(static o => o.Reason).ToList();
        Assert.Equal(1, reasons.Count(static r => r == IncrementalStepRunReason.Modified));
        Assert.All(reasons.Where(static r => r != IncrementalStepRunReason.Modified), static r => Assert.True(r is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged));
    }

    [Fact]
    public void Inserting_a_line_above_an_actor_changes_that_actor_only_and_not_the_registry()
    {
        var compilation = CreateCompilation();
        var driver = GeneratorHarness.CreateDriver(withJsonGenerator: false).RunGenerators(compilation);
        var first = ActorResult(driver);

        // Counter.Increment is the last actor of its file: only its location moves.
        var tree = compilation.SyntaxTrees.Single(static t => t.ToString().Contains("class Counter", StringComparison.Ordinal));
        var text = tree.GetText().ToString();
        var at = text.IndexOf("public sealed class Counter", StringComparison.Ordinal);
        var edited = tree.WithChangedText(tree.GetText().Replace(at, 0, "// A line above the actor.\n"));

        driver = driver.RunGenerators(compilation.ReplaceSyntaxTree(tree, edited));
        var second = ActorResult(driver);

        var emitted = second.TrackedSteps[TrackingNames.ActorsToEmit].SelectMany(static s => s.Outputs).ToList();
        var modified = Assert.Single(emitted, static o => o.Reason == IncrementalStepRunReason.Modified);
        Assert.Contains("Counter.Increment", ((Generators.Model.ActorOutputModel)modified.Value).Actor!.MethodDisplayName, StringComparison.Ordinal);
        Assert.All(emitted.Where(o => o != modified), static o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, o.Reason.ToString()));

        // The set saw a new location, but what the registry is made of did not change: its output stays cached.
        Assert.All(
            second.TrackedSteps[TrackingNames.Registry].SelectMany(static s => s.Outputs),
            static o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, o.Reason.ToString()));
        Assert.Equal(
            first.GeneratedSources.Single(static s => s.HintName == "Tasks.Registry.g.cs").SourceText.ToString(),
            second.GeneratedSources.Single(static s => s.HintName == "Tasks.Registry.g.cs").SourceText.ToString());
    }

    [Fact]
    public void Step_outputs_hold_no_symbols_syntax_or_compilations()
    {
        var result = ActorResult(GeneratorHarness.CreateDriver(withJsonGenerator: false).RunGenerators(CreateCompilation()));

        foreach (var step in s_steps)
        {
            Assert.NotEmpty(Values(result, step));
            foreach (var value in Values(result, step))
            {
                AssertNoBannedTypes(value, step, new HashSet<object>(ReferenceEqualityComparer.Instance));
            }
        }
    }

    private static Compilation CreateCompilation() => GeneratorHarness.CreateCompilation(
        GeneratorHarness.ReadProjectFile("Actors/StaticActors.cs"),
        GeneratorHarness.ReadProjectFile("Actors/InvoiceActors.cs"),
        GeneratorHarness.ReadProjectFile("Actors/InstanceActors.cs"));

    private static GeneratorRunResult ActorResult(GeneratorDriver driver) =>
        driver.GetRunResult().Results.Single(static r => r.Generator.GetGeneratorType() == typeof(ActorGenerator));

    private static List<object> Values(GeneratorRunResult result, string step) =>
        [.. result.TrackedSteps[step].SelectMany(static s => s.Outputs).Select(static o => o.Value)];

    private static void AssertAllCached(GeneratorRunResult result)
    {
        foreach (var step in s_steps)
        {
            foreach (var output in result.TrackedSteps[step].SelectMany(static s => s.Outputs))
            {
                Assert.True(output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged, $"{step}: {output.Reason}");
            }
        }

        foreach (var output in result.TrackedOutputSteps.SelectMany(static pair => pair.Value).SelectMany(static s => s.Outputs))
        {
            Assert.Equal(IncrementalStepRunReason.Cached, output.Reason);
        }
    }

    private static void AssertNoBannedTypes(object? value, string path, HashSet<object> visited)
    {
        if (value is null || value is string || value is DiagnosticDescriptor)
        {
            return;
        }

        var type = value.GetType();
        Assert.False(s_bannedTypes.Any(banned => banned.IsAssignableFrom(type)), $"{path} holds a {type.FullName}");
        if (type.IsPrimitive || type.IsEnum || (!type.IsValueType && !visited.Add(value)))
        {
            return;
        }

        if (value is IEnumerable sequence)
        {
            var index = 0;
            foreach (var item in sequence)
            {
                AssertNoBannedTypes(item, $"{path}[{index++}]", visited);
            }

            return;
        }

        foreach (var field in type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic))
        {
            AssertNoBannedTypes(field.GetValue(value), path + "." + field.Name, visited);
        }
    }
}
