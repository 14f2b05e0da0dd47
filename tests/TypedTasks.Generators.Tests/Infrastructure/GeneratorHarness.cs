using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace TypedTasks.Generators.Tests.Infrastructure;

/// <summary>Compiles source text, runs the actor generator (and System.Text.Json's, which user contexts need) and
/// hands back what was generated, what was reported and the compiled result.</summary>
internal static class GeneratorHarness
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest, DocumentationMode.Parse);

    // Generated trees are parsed with doc-comment diagnostics on, so that malformed docs or unresolved crefs in
    // generated code fail the snapshot tests' "no unasserted diagnostics" check.
    private static readonly CSharpParseOptions s_generatedParseOptions = new(LanguageVersion.Latest, DocumentationMode.Diagnose);

    private static readonly Lazy<ImmutableArray<MetadataReference>> s_references = new(LoadReferences);
    private static readonly Lazy<ISourceGenerator> s_jsonGenerator = new(LoadJsonGenerator);

    public static ImmutableArray<MetadataReference> References => s_references.Value;

    public static CSharpCompilation CreateCompilation(params string[] sources) =>
        CreateCompilation("GeneratorTestAssembly", [], sources);

    /// <summary>A library or app of its own name, referencing <paramref name="references"/> besides the framework.</summary>
    public static CSharpCompilation CreateCompilation(string assemblyName, IEnumerable<MetadataReference> references, params string[] sources) =>
        CSharpCompilation.Create(
            assemblyName,
            sources.Select((source, index) => CSharpSyntaxTree.ParseText(source, ParseOptions, path: $"Input{index}.cs")),
            References.Concat(references),
            new CSharpCompilationOptions(
                OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable,
                generalDiagnosticOption: ReportDiagnostic.Default));

    /// <param name="buildProperties">MSBuild properties as the analyzer config exposes them (<c>RootNamespace</c>...).</param>
    public static GeneratorDriver CreateDriver(bool withJsonGenerator = true, IReadOnlyDictionary<string, string>? buildProperties = null) =>
        CSharpGeneratorDriver.Create(
            withJsonGenerator ? [new ActorGenerator().AsSourceGenerator(), s_jsonGenerator.Value] : [new ActorGenerator().AsSourceGenerator()],
            parseOptions: s_generatedParseOptions,
            optionsProvider: new BuildPropertiesProvider(buildProperties ?? new Dictionary<string, string>()),
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));

    public static GeneratorOutcome Run(params string[] sources) => Run(CreateCompilation(sources));

    public static GeneratorOutcome Run(Compilation compilation, IReadOnlyDictionary<string, string>? buildProperties = null)
    {
        var driver = CreateDriver(buildProperties: buildProperties).RunGeneratorsAndUpdateCompilation(compilation, out var output, out _);
        return new GeneratorOutcome(driver.GetRunResult(), output);
    }

    /// <summary>The text of a source file of this project (the same files are compiled into this assembly).</summary>
    public static string ReadProjectFile(string relativePath, [CallerFilePath] string callerPath = "")
    {
        var projectDirectory = FindProjectDirectory(callerPath);
        return File.ReadAllText(Path.Combine(projectDirectory, relativePath));
    }

    public static string FindProjectDirectory(string callerPath)
    {
        // Deterministic CI builds (ContinuousIntegrationBuild) map source paths to "/_/", so the caller's path is
        // not a real directory there; the build records the project directory in the assembly instead.
        foreach (var metadata in typeof(GeneratorHarness).Assembly.GetCustomAttributes<System.Reflection.AssemblyMetadataAttribute>())
        {
            if (metadata.Key == "TypedTasks.ProjectDirectory" && Directory.Exists(metadata.Value))
            {
                return metadata.Value!;
            }
        }

        var directory = Path.GetDirectoryName(callerPath);
        while (directory is not null && !File.Exists(Path.Combine(directory, "TypedTasks.Generators.Tests.csproj")))
        {
            directory = Path.GetDirectoryName(directory);
        }

        return directory ?? throw new InvalidOperationException("The test project directory was not found above " + callerPath);
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        // The running runtime's framework assemblies, plus TypedTasks and what its public API exposes; never this
        // test assembly, which already contains the very actors the inputs declare.
        var trusted = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        var frameworkDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var wanted = new HashSet<string>(StringComparer.Ordinal)
        {
            "TypedTasks.dll",
            "Microsoft.Extensions.DependencyInjection.Abstractions.dll",
            "Microsoft.Extensions.Logging.Abstractions.dll",
        };
        return [.. trusted
            .Where(path => string.Equals(Path.GetDirectoryName(path), frameworkDirectory, StringComparison.Ordinal) || wanted.Contains(Path.GetFileName(path)))
            .Where(static path => !Path.GetFileName(path).StartsWith("Microsoft.VisualBasic", StringComparison.Ordinal))
            .Select(static path => (MetadataReference)MetadataReference.CreateFromFile(path))];
    }

    /// <summary>System.Text.Json's generator as the SDK ships it for this runtime (the targeting pack's analyzer).</summary>
    private static ISourceGenerator LoadJsonGenerator()
    {
        var runtimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var dotnetRoot = Path.GetFullPath(Path.Combine(runtimeDirectory, "..", "..", ".."));
        var packs = Path.Combine(dotnetRoot, "packs", "Microsoft.NETCore.App.Ref");
        var path = Directory.GetDirectories(packs)
            .Where(static d => Version.TryParse(Path.GetFileName(d).Split('-')[0], out var v) && v.Major == Environment.Version.Major)
            .OrderByDescending(static d => Version.Parse(Path.GetFileName(d).Split('-')[0]))
            .Select(static d => Path.Combine(d, "analyzers", "dotnet", "cs", "System.Text.Json.SourceGeneration.dll"))
            .First(File.Exists);
        var reference = new AnalyzerFileReference(path, new AssemblyLoader());
        return reference.GetGenerators(LanguageNames.CSharp).Single();
    }

    private sealed class AssemblyLoader : IAnalyzerAssemblyLoader
    {
        public void AddDependencyLocation(string fullPath)
        {
        }

        public Assembly LoadFromPath(string fullPath) => Assembly.LoadFrom(fullPath);
    }
}

/// <summary>Global analyzer config options holding <c>build_property.*</c> values, as MSBuild writes them.</summary>
internal sealed class BuildPropertiesProvider(IReadOnlyDictionary<string, string> properties) : AnalyzerConfigOptionsProvider
{
    private readonly Options _global = new(properties.ToDictionary(static p => "build_property." + p.Key, static p => p.Value));

    public override AnalyzerConfigOptions GlobalOptions => _global;

    public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => Options.Empty;

    public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Options.Empty;

    private sealed class Options(Dictionary<string, string> values) : AnalyzerConfigOptions
    {
        public static readonly Options Empty = new([]);

        public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value) =>
            values.TryGetValue(key, out value);
    }
}

/// <summary>One generator run: its result and the compilation with the generated trees added.</summary>
internal sealed record GeneratorOutcome(GeneratorDriverRunResult RunResult, Compilation Output)
{
    public GeneratorRunResult ActorResult => RunResult.Results.Single(static r => r.Generator.GetGeneratorType() == typeof(ActorGenerator));

    public ImmutableArray<Diagnostic> GeneratorDiagnostics => ActorResult.Diagnostics;

    public IReadOnlyList<GeneratedSourceResult> Sources => ActorResult.GeneratedSources;

    /// <summary>Every diagnostic worth a look: the generators' and the compiler's on the output (hidden ones excluded).</summary>
    public IReadOnlyList<Diagnostic> AllDiagnostics =>
        [.. RunResult.Diagnostics.Concat(Output.GetDiagnostics()).Where(static d => d.Severity != DiagnosticSeverity.Hidden)];
}
