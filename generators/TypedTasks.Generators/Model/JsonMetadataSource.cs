namespace TypedTasks.Generators.Model;

/// <summary>Where generated code finds the <c>JsonTypeInfo&lt;T&gt;</c> of one type.</summary>
internal enum JsonMetadataKind
{
    /// <summary>A <c>JsonSerializerContext</c> the user declared in the compilation.</summary>
    UserContext,

    /// <summary><c>TypedTasks.Generated.TypedTasksJsonContext</c>.</summary>
    BuiltInContext,

    /// <summary>An enum without declared metadata: a value converter from <c>JsonMetadataServices</c>.</summary>
    Enum,

    /// <summary>A nullable enum without declared metadata.</summary>
    NullableEnum,
}

/// <summary>The resolved metadata of one type.</summary>
/// <param name="TypeName">The annotated type, for the field's <c>JsonTypeInfo&lt;T&gt;</c>.</param>
/// <param name="MetadataKey">The type for <c>typeof(...)</c>.</param>
/// <param name="ContextTypeName">The context's fully qualified name for <see cref="JsonMetadataKind.UserContext"/> and
/// <see cref="JsonMetadataKind.BuiltInContext"/>; the enum's name for the enum kinds.</param>
internal sealed record JsonMetadataSource(JsonMetadataKind Kind, string TypeName, string MetadataKey, string ContextTypeName);
