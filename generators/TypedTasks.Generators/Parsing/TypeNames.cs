using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace TypedTasks.Generators.Parsing;

/// <summary>How symbols are spelled in generated code, in metadata keys and in messages.</summary>
internal static class TypeNames
{
    private static readonly SymbolDisplayFormat s_annotated = SymbolDisplayFormat.FullyQualifiedFormat
        .AddMiscellaneousOptions(SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    /// <summary>The type for a declaration in generated code, which is compiled with <c>#nullable enable</c>:
    /// an oblivious reference type (declared outside a nullable context) becomes nullable, as it was to its author.</summary>
    public static string Declaration(ITypeSymbol type)
    {
        var name = type.ToDisplayString(s_annotated);
        return type.IsReferenceType && type.NullableAnnotation == NullableAnnotation.None ? name + "?" : name;
    }

    /// <summary>The type without reference nullability: valid in <c>typeof(...)</c>, and the key under which
    /// <c>[JsonSerializable]</c> declarations and built-in metadata are matched.</summary>
    public static string MetadataKey(ITypeSymbol type) => type.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);

    /// <summary>The type as a user reads it in a message (<c>MyApp.Report</c>).</summary>
    public static string Display(ITypeSymbol type) =>
        type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat);

    /// <summary>A method as a user reads it: <c>MyApp.Emails.SendEmail</c>.</summary>
    public static string ActorDisplay(IMethodSymbol method) =>
        method.ContainingType.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat) + "." + method.Name;

    /// <summary>A name as a C# identifier: keywords get an <c>@</c>.</summary>
    public static string Identifier(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

    public static bool IsCancellationToken(ITypeSymbol type) =>
        type is INamedTypeSymbol { Name: "CancellationToken", ContainingNamespace: { Name: "Threading", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } };

    public static bool IsTaskProgress(ITypeSymbol type) =>
        type is INamedTypeSymbol { Name: "TaskProgress", ContainingNamespace: { Name: "TypedTasks", ContainingNamespace.IsGlobalNamespace: true } };

    /// <summary>Whether the type, or any type argument or element type inside it, failed to bind: the compiler
    /// already reports that, and generating code around it would only add noise.</summary>
    public static bool ContainsErrorType(ITypeSymbol type) => type switch
    {
        IErrorTypeSymbol => true,
        IArrayTypeSymbol array => ContainsErrorType(array.ElementType),
        INamedTypeSymbol named => named.TypeArguments.Any(ContainsErrorType),
        _ => type.TypeKind == TypeKind.Error,
    };
}
