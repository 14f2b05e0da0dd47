using System.Linq;
using Microsoft.CodeAnalysis;

namespace TypedTasks.Generators.Parsing;

/// <summary>What generated code in the same assembly, outside the user's types, can reach.</summary>
internal static class Accessibility
{
    public static bool IsAccessible(ISymbol symbol) => Reason(symbol) is null;

    /// <summary>Why <paramref name="symbol"/> cannot be reached from generated code, or null when it can.</summary>
    public static string? Reason(ISymbol symbol)
    {
        if (!IsVisible(symbol.DeclaredAccessibility))
        {
            return $"'{symbol.Name}' is {Describe(symbol.DeclaredAccessibility)}";
        }

        for (var type = symbol as INamedTypeSymbol ?? symbol.ContainingType; type is not null; type = type.ContainingType)
        {
            if (!IsVisible(type.DeclaredAccessibility))
            {
                return $"its type '{type.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat)}' is {Describe(type.DeclaredAccessibility)}";
            }

            if (type.IsFileLocal)
            {
                return $"its type '{type.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat)}' is file-local";
            }
        }

        return null;
    }

    /// <summary>Whether <paramref name="symbol"/> (a member, or a type with its arguments and elements) can be reached
    /// from other assemblies, so that a public stub may mention it.</summary>
    public static bool IsPublic(ISymbol symbol)
    {
        switch (symbol)
        {
            case IArrayTypeSymbol array:
                return IsPublic(array.ElementType);
            case ITypeParameterSymbol or IPointerTypeSymbol or IFunctionPointerTypeSymbol:
                return false;
            case INamedTypeSymbol { TypeArguments.Length: > 0 } generic when !generic.TypeArguments.All(IsPublic):
                return false;
        }

        for (var current = symbol; current is not null and not INamespaceSymbol; current = current.ContainingSymbol)
        {
            if (current.DeclaredAccessibility is not (Microsoft.CodeAnalysis.Accessibility.Public or Microsoft.CodeAnalysis.Accessibility.NotApplicable))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsVisible(Microsoft.CodeAnalysis.Accessibility accessibility) =>
        accessibility is Microsoft.CodeAnalysis.Accessibility.Public
            or Microsoft.CodeAnalysis.Accessibility.Internal
            or Microsoft.CodeAnalysis.Accessibility.ProtectedOrInternal;

    private static string Describe(Microsoft.CodeAnalysis.Accessibility accessibility) => accessibility switch
    {
        Microsoft.CodeAnalysis.Accessibility.Private => "private",
        Microsoft.CodeAnalysis.Accessibility.Protected => "protected",
        Microsoft.CodeAnalysis.Accessibility.ProtectedAndInternal => "private protected",
        _ => accessibility.ToString().ToLowerInvariant(),
    };
}
