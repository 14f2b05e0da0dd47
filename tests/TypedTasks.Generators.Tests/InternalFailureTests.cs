using System;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using TypedTasks.Generators.Parsing;
using TypedTasks.Generators.Tests.Infrastructure;

namespace TypedTasks.Generators.Tests;

/// <summary>A bug in the parser costs one actor and a TT9999 on it, never the whole build.</summary>
public sealed class InternalFailureTests
{
    [Fact]
    public void Exception_while_parsing_becomes_TT9999_on_the_method()
    {
        const string Source = "namespace App; public static class Jobs { [TypedTasks.Actor] public static void Run() { } }";
        var compilation = GeneratorHarness.CreateCompilation(Source);
        var driver = CSharpGeneratorDriver.Create(new ThrowingParserGenerator()).RunGenerators(compilation);

        var diagnostic = Assert.Single(driver.GetRunResult().Diagnostics);

        Assert.Equal("TT9999", diagnostic.Id);
        Assert.Equal("The TypedTasks generator failed on 'App.Jobs.Run' and generated nothing for it: InvalidOperationException: boom", diagnostic.GetMessage(CultureInfo.InvariantCulture));
        Assert.Equal(Source.IndexOf("Run()", StringComparison.Ordinal), diagnostic.Location.SourceSpan.Start);
    }

    [Fact]
    public void Cancellation_is_not_reported_as_a_failure()
    {
        Assert.Throws<OperationCanceledException>(() =>
            ActorParser.ParseSafely(default, default, static (_, _) => throw new OperationCanceledException()));
    }

    /// <summary>The real pipeline's first stage, with a parser that throws.</summary>
    private sealed class ThrowingParserGenerator : IIncrementalGenerator
    {
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var results = context.SyntaxProvider.ForAttributeWithMetadataName(
                ActorGenerator.ActorAttribute,
                static (node, _) => node is MethodDeclarationSyntax,
                static (syntaxContext, cancellationToken) => ActorParser.ParseSafely(syntaxContext, cancellationToken, static (_, _) => throw new InvalidOperationException("boom")));
            context.RegisterSourceOutput(results, static (production, result) =>
            {
                foreach (var diagnostic in result.Diagnostics)
                {
                    production.ReportDiagnostic(diagnostic.ToDiagnostic());
                }
            });
        }
    }
}
