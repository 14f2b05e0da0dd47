using System.Collections.Generic;

namespace TypedTasks.Generators.Parsing;

/// <summary>
/// The types <c>TypedTasks.Generated.TypedTasksJsonContext</c> declares, keyed like <see cref="TypeNames.MetadataKey"/>.
/// A test reads the context's attributes and fails when this list and the context disagree.
/// </summary>
internal static class BuiltInJsonTypes
{
    public const string ContextTypeName = "global::TypedTasks.Generated.TypedTasksJsonContext";

    public static readonly IReadOnlyCollection<string> MetadataKeys = new HashSet<string>(System.StringComparer.Ordinal)
    {
        "string", "bool", "byte", "sbyte", "short", "ushort", "int", "uint", "long", "ulong",
        "float", "double", "decimal", "char",
        "global::System.Guid", "global::System.DateTime", "global::System.DateTimeOffset", "global::System.TimeSpan",
        "global::System.DateOnly", "global::System.TimeOnly", "global::System.Uri", "byte[]",
        "bool?", "byte?", "short?", "int?", "long?", "float?", "double?", "decimal?",
        "global::System.Guid?", "global::System.DateTime?", "global::System.DateTimeOffset?", "global::System.TimeSpan?",
        "global::System.DateOnly?", "global::System.TimeOnly?",
        "string[]", "int[]", "long[]", "double[]", "decimal[]", "bool[]",
        "global::System.Guid[]", "global::System.DateTime[]", "global::System.DateTimeOffset[]",
        "global::System.Collections.Generic.List<string>", "global::System.Collections.Generic.List<int>",
        "global::System.Collections.Generic.List<long>", "global::System.Collections.Generic.List<double>",
        "global::System.Collections.Generic.List<decimal>", "global::System.Collections.Generic.List<bool>",
        "global::System.Collections.Generic.List<global::System.Guid>",
        "global::System.Collections.Generic.List<global::System.DateTime>",
        "global::System.Collections.Generic.List<global::System.DateTimeOffset>",
        "global::System.Collections.Generic.IReadOnlyList<string>", "global::System.Collections.Generic.IReadOnlyList<int>",
        "global::System.Collections.Generic.IReadOnlyList<long>",
        "global::System.Collections.Generic.IReadOnlyList<global::System.Guid>",
        "global::System.Collections.Generic.Dictionary<string, string>",
        "global::System.Collections.Generic.Dictionary<string, int>",
        "global::System.Collections.Generic.Dictionary<string, long>",
        "global::System.Collections.Generic.Dictionary<string, double>",
        "global::TypedTasks.WorkflowFailure",
    };

    public static bool Contains(string metadataKey) => ((HashSet<string>)MetadataKeys).Contains(metadataKey);
}
