namespace TypedTasks.Generators.Model;

/// <summary>A type that needs JSON metadata: a parameter's or the result's.</summary>
/// <param name="TypeName">The type as it is declared in generated code, nullable annotations included
/// (<c>global::MyApp.Report?</c>).</param>
/// <param name="MetadataKey">The type without reference nullability, exactly as <c>typeof(...)</c> needs it and as
/// <c>[JsonSerializable(typeof(...))]</c> declarations are keyed.</param>
/// <param name="DisplayName">The type for messages (<c>MyApp.Report</c>).</param>
/// <param name="IsBuiltIn">Whether <c>TypedTasksJsonContext</c> covers the type.</param>
/// <param name="EnumTypeName">For an enum or nullable enum: the enum's fully qualified name; otherwise null.</param>
/// <param name="IsNullableEnum">Whether the type is <c>Nullable&lt;TEnum&gt;</c>.</param>
/// <param name="Location">The type's syntax, for TT0101.</param>
internal sealed record JsonTypeRequest(
    string TypeName,
    string MetadataKey,
    string DisplayName,
    bool IsBuiltIn,
    string? EnumTypeName,
    bool IsNullableEnum,
    LocationInfo? Location);
