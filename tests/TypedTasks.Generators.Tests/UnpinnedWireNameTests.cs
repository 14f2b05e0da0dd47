using System.Collections.Immutable;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using TypedTasks.Generators.Analyzers;
using TypedTasks.Generators.CodeFixes;
using TypedTasks.Generators.Tests.Infrastructure;

namespace TypedTasks.Generators.Tests;

/// <summary>TT0012 (an analyzer, not the generator) and its code fix.</summary>
public sealed class UnpinnedWireNameTests
{
    private const string Source = """
        using TypedTasks;

        namespace App;

        public static class Mail
        {
            [Actor]
            public static void SendWelcome(string to) { }

            [Actor(Queue = "mail")]
            public static void SendReminder(string to) { }

            [Actor(Name = "mail.bounce")]
            public static void Bounce(string to) { }
        }
        """;

    [Fact]
    public async Task Actors_without_a_name_get_TT0012_with_the_name_to_pin()
    {
        var diagnostics = await AnalyzeAsync(GeneratorHarness.CreateCompilation(Source));

        Assert.Equal(
            [
                ("TT0012", DiagnosticSeverity.Warning, "[Actor]", "Actor 'Mail.SendWelcome' takes its wire name from the method name, so renaming the method would leave queued messages to dead-letter as UnknownActor: pin it with [Actor(Name = \"SendWelcome\")]"),
                ("TT0012", DiagnosticSeverity.Warning, "[Actor(Queue = \"mail\")]", "Actor 'Mail.SendReminder' takes its wire name from the method name, so renaming the method would leave queued messages to dead-letter as UnknownActor: pin it with [Actor(Name = \"SendReminder\")]"),
            ],
            diagnostics.Select(static d => (d.Id, d.Severity, "[" + d.Location.SourceTree!.GetText().ToString(d.Location.SourceSpan) + "]", d.GetMessage(System.Globalization.CultureInfo.InvariantCulture))));
    }

    [Fact]
    public async Task The_code_fix_pins_the_current_method_name()
    {
        using var workspace = new AdhocWorkspace();
        var project = workspace.AddProject("App", LanguageNames.CSharp)
            .WithCompilationOptions(new Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary))
            .WithParseOptions(GeneratorHarness.ParseOptions)
            .AddMetadataReferences(GeneratorHarness.References);
        var document = project.AddDocument("Mail.cs", SourceText.From(Source));

        foreach (var _ in Enumerable.Range(0, 2))
        {
            var compilation = (await document.Project.GetCompilationAsync())!;
            var diagnostic = (await AnalyzeAsync(compilation)).First();
            var actions = ImmutableArray.CreateBuilder<CodeAction>();
            var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), default);
            await new PinWireNameCodeFix().RegisterCodeFixesAsync(context);
            var operations = await Assert.Single(actions).GetOperationsAsync(default);
            var changed = Assert.IsType<ApplyChangesOperation>(Assert.Single(operations)).ChangedSolution;
            document = changed.GetDocument(document.Id)!;
        }

        var text = (await document.GetTextAsync()).ToString();
        Assert.Contains("[Actor(Name = \"SendWelcome\")]", text, System.StringComparison.Ordinal);
        Assert.Contains("[Actor(Name = \"SendReminder\", Queue = \"mail\")]", text, System.StringComparison.Ordinal);
        Assert.Empty(await AnalyzeAsync((await document.Project.GetCompilationAsync())!));
    }

    private static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(Compilation compilation) =>
        (await compilation.WithAnalyzers([new UnpinnedWireNameAnalyzer()]).GetAnalyzerDiagnosticsAsync())
            .OrderBy(static d => d.Location.SourceSpan.Start)
            .ToImmutableArray();
}
