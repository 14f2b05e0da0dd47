using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using TypedTasks.Generators.Helpers;
using TypedTasks.Generators.Model;

namespace TypedTasks.Generators.Parsing;

/// <summary>Finds the user's <c>JsonSerializerContext</c>s and the types they declare.</summary>
internal static class JsonContextParser
{
    public const string JsonSerializableAttribute = "System.Text.Json.Serialization.JsonSerializableAttribute";

    /// <summary>One declaration of a context (a partial class may carry attributes on several declarations).</summary>
    public static JsonContextModel? Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not INamedTypeSymbol type || !IsUsableContext(type))
        {
            return null;
        }

        var keys = new List<string>();
        foreach (var attribute in context.Attributes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (attribute.ConstructorArguments.Length == 1 && attribute.ConstructorArguments[0].Value is ITypeSymbol declared && !TypeNames.ContainsErrorType(declared))
            {
                keys.Add(TypeNames.MetadataKey(declared));
            }
        }

        return new JsonContextModel(TypeNames.MetadataKey(type), keys.ToEquatableArray());
    }

    /// <summary>Merges the declarations of each context, ordered by name so that the first context declaring a type
    /// is always the same one.</summary>
    public static JsonContextCatalog Merge(ImmutableArray<JsonContextModel?> declarations, CancellationToken cancellationToken)
    {
        var byName = new SortedDictionary<string, SortedSet<string>>(System.StringComparer.Ordinal);
        foreach (var declaration in declarations)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (declaration is null)
            {
                continue;
            }

            if (!byName.TryGetValue(declaration.TypeName, out var keys))
            {
                byName.Add(declaration.TypeName, keys = new SortedSet<string>(System.StringComparer.Ordinal));
            }

            keys.UnionWith(declaration.MetadataKeys);
        }

        return new JsonContextCatalog(byName.Select(static pair => new JsonContextModel(pair.Key, pair.Value.ToEquatableArray())).ToEquatableArray());
    }

    /// <summary>Generated code reaches the context through <c>Ctx.Default</c>, which System.Text.Json generates only
    /// for a non-generic context it can see.</summary>
    private static bool IsUsableContext(INamedTypeSymbol type)
    {
        if (type.IsGenericType || type.IsAbstract || !Accessibility.IsAccessible(type))
        {
            return false;
        }

        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (current is { Name: "JsonSerializerContext", ContainingNamespace: { Name: "Serialization", ContainingNamespace: { Name: "Json", ContainingNamespace: { Name: "Text", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } } } })
            {
                return true;
            }
        }

        return false;
    }
}
