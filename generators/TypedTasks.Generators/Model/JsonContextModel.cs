using TypedTasks.Generators.Helpers;

namespace TypedTasks.Generators.Model;

/// <summary>A user <c>JsonSerializerContext</c> and the types it declares with <c>[JsonSerializable]</c>.</summary>
/// <param name="TypeName">The context's fully qualified name.</param>
/// <param name="MetadataKeys">The declared types, keyed like <see cref="JsonTypeRequest.MetadataKey"/>.</param>
internal sealed record JsonContextModel(string TypeName, EquatableArray<string> MetadataKeys);

/// <summary>Every user context of the compilation, ordered by name (the first one declaring a type wins).</summary>
internal sealed record JsonContextCatalog(EquatableArray<JsonContextModel> Contexts);
