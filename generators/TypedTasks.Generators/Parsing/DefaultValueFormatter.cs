using System;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace TypedTasks.Generators.Parsing;

/// <summary>Spells a parameter's default value as a C# expression that means the same in generated code.</summary>
internal static class DefaultValueFormatter
{
    /// <summary>The default value of an optional parameter, or null when the parameter is required.</summary>
    public static string? Format(IParameterSymbol parameter) =>
        parameter.HasExplicitDefaultValue ? Format(parameter.Type, parameter.ExplicitDefaultValue) : null;

    public static string Format(ITypeSymbol type, object? value)
    {
        var enumType = EnumOf(type);
        if (value is null)
        {
            return type.IsValueType && type.OriginalDefinition.SpecialType != SpecialType.System_Nullable_T ? "default" : "null";
        }

        if (enumType is not null)
        {
            // As the source wrote it: the member with that value (the first declared, for aliases).
            foreach (var member in enumType.GetMembers())
            {
                if (member is IFieldSymbol { HasConstantValue: true } field && Equals(field.ConstantValue, value))
                {
                    return TypeNames.MetadataKey(enumType) + "." + TypeNames.Identifier(field.Name);
                }
            }

            // Flags combinations and values without a member stay a cast of the number.
            var underlying = FormatPrimitive(value);
            return "(" + TypeNames.MetadataKey(enumType) + ")" + (underlying.StartsWith("-", StringComparison.Ordinal) ? "(" + underlying + ")" : underlying);
        }

        return FormatPrimitive(value);
    }

    private static ITypeSymbol? EnumOf(ITypeSymbol type) => type switch
    {
        { TypeKind: TypeKind.Enum } => type,
        INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable
            when nullable.TypeArguments[0].TypeKind == TypeKind.Enum => nullable.TypeArguments[0],
        _ => null,
    };

    private static string FormatPrimitive(object value) => value switch
    {
        string text => SymbolDisplay.FormatLiteral(text, quote: true),
        char character => SymbolDisplay.FormatLiteral(character, quote: true),
        bool flag => flag ? "true" : "false",
        float single when float.IsNaN(single) => "float.NaN",
        float single when float.IsPositiveInfinity(single) => "float.PositiveInfinity",
        float single when float.IsNegativeInfinity(single) => "float.NegativeInfinity",
        float single => single.ToString("R", CultureInfo.InvariantCulture) + "F",
        double number when double.IsNaN(number) => "double.NaN",
        double number when double.IsPositiveInfinity(number) => "double.PositiveInfinity",
        double number when double.IsNegativeInfinity(number) => "double.NegativeInfinity",
        double number => number.ToString("R", CultureInfo.InvariantCulture) + "D",
        decimal number => number.ToString(CultureInfo.InvariantCulture) + "M",
        long number => number.ToString(CultureInfo.InvariantCulture) + "L",
        ulong number => number.ToString(CultureInfo.InvariantCulture) + "UL",
        uint number => number.ToString(CultureInfo.InvariantCulture) + "U",
        IFormattable number => number.ToString(null, CultureInfo.InvariantCulture),
        _ => throw new NotSupportedException("Unsupported default value of type " + value.GetType().FullName + "."),
    };

    /// <summary>A double attribute argument as a literal (<c>TimeSpan.FromSeconds(1.5)</c>).</summary>
    public static string FormatSeconds(double seconds) => seconds.ToString("R", CultureInfo.InvariantCulture);
}
