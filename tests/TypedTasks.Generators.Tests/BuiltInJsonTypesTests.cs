using System.Linq;
using System.Text.Json.Serialization;
using Microsoft.CodeAnalysis;
using TypedTasks.Generators.Parsing;
using TypedTasks.Generators.Tests.Infrastructure;
using TypedTasks.Generated;

namespace TypedTasks.Generators.Tests;

/// <summary>The generator's list of built-in types and <see cref="TypedTasksJsonContext"/> must agree, or generated
/// code would ask the context for metadata it does not have (or miss metadata it has).</summary>
public sealed class BuiltInJsonTypesTests
{
    [Fact]
    public void Generator_list_matches_the_context_attributes()
    {
        var compilation = GeneratorHarness.CreateCompilation("class Empty { }");
        var context = compilation.GetTypeByMetadataName(typeof(TypedTasksJsonContext).FullName!);
        Assert.NotNull(context);

        var declared = context.GetAttributes()
            .Where(static a => a.AttributeClass?.Name == nameof(JsonSerializableAttribute))
            .Select(static a => TypeNames.MetadataKey((ITypeSymbol)a.ConstructorArguments[0].Value!))
            .Order(System.StringComparer.Ordinal)
            .ToList();

        Assert.Equal(BuiltInJsonTypes.MetadataKeys.Order(System.StringComparer.Ordinal), declared);
    }

    [Fact]
    public void Every_listed_type_has_metadata_at_run_time()
    {
        var runtimeAttributes = typeof(TypedTasksJsonContext).CustomAttributes
            .Where(static a => a.AttributeType == typeof(JsonSerializableAttribute))
            .Select(static a => (System.Type)a.ConstructorArguments[0].Value!)
            .ToList();

        Assert.Equal(BuiltInJsonTypes.MetadataKeys.Count, runtimeAttributes.Count);
        Assert.All(runtimeAttributes, static type => Assert.NotNull(TypedTasksJsonContext.Default.GetTypeInfo(type)));
    }
}
