using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using TypedTasks.Generators.Analyzers;
using TypedTasks.Generators.Tests.Infrastructure;

namespace TypedTasks.Generators.Tests;

/// <summary>
/// The README's C# blocks marked <c>&lt;!-- compile --&gt;</c> compile as pasted: each one is the <c>Program.cs</c> of a
/// console app (implicit usings and nullable on, as <c>dotnet new console</c> makes it), run through the generator and
/// the analyzer, with zero diagnostics of any severity above hidden.
/// </summary>
public sealed partial class ReadmeTests
{
    /// <summary>What the SDK's implicit usings add to a console app.</summary>
    private const string ImplicitUsings = """
        global using global::System;
        global using global::System.Collections.Generic;
        global using global::System.IO;
        global using global::System.Linq;
        global using global::System.Net.Http;
        global using global::System.Threading;
        global using global::System.Threading.Tasks;
        """;

    public static TheoryData<int> Blocks() => [.. Enumerable.Range(0, CompileBlocks().Count)];

    [Fact]
    public void The_readme_has_blocks_to_compile() => Assert.NotEmpty(CompileBlocks());

    [Theory]
    [MemberData(nameof(Blocks))]
    public async Task A_marked_readme_block_compiles_as_pasted(int index)
    {
        var compilation = GeneratorHarness.CreateCompilation("ReadmeApp", [], CompileBlocks()[index], ImplicitUsings);
        compilation = compilation.WithOptions(compilation.Options.WithOutputKind(OutputKind.ConsoleApplication));

        var outcome = GeneratorHarness.Run(compilation, new Dictionary<string, string> { ["RootNamespace"] = "ReadmeApp" });
        var analyzers = await outcome.Output.WithAnalyzers([new UnpinnedWireNameAnalyzer()]).GetAnalyzerDiagnosticsAsync();

        // System.Text.Json's generated members have no XML docs (CS1591), which matters only to a project that generates
        // a documentation file, as a console app does not; the harness asks for doc diagnostics on generated code.
        var reported = outcome.AllDiagnostics.Concat(analyzers)
            .Where(static d => !(d.Id == "CS1591" && d.Location.SourceTree?.FilePath.Contains("System.Text.Json.SourceGeneration", StringComparison.Ordinal) == true));
        Assert.Empty(reported.Select(DiagnosticAssert.Describe));
        Assert.NotNull(outcome.Output.GetTypeByMetadataName("ReadmeApp.Tasks"));
    }

    private static List<string> CompileBlocks([CallerFilePath] string callerPath = "")
    {
        var readme = Path.Combine(GeneratorHarness.FindProjectDirectory(callerPath), "..", "..", "README.md");
        var text = File.ReadAllText(readme).Replace("\r\n", "\n", StringComparison.Ordinal);
        return [.. CompileBlock().Matches(text).Select(static m => m.Groups["code"].Value)];
    }

    [GeneratedRegex(@"<!-- compile -->\n```csharp\n(?<code>.*?)\n```", RegexOptions.Singleline)]
    private static partial Regex CompileBlock();
}
