namespace TypedTasks.Generators.Model;

/// <summary>One parameter of an actor method.</summary>
/// <param name="Name">The parameter's name as written in JSON (no <c>@</c>).</param>
/// <param name="Identifier">The name as a C# identifier (<c>@class</c> for a keyword).</param>
/// <param name="TypeName">The annotated fully qualified type.</param>
/// <param name="IsCancellationToken">The one <c>CancellationToken</c>, filled from the invocation, never serialized.</param>
/// <param name="DefaultValue">The C# expression of the default value, or null for a required parameter.</param>
/// <param name="RejectsNull">A non-nullable reference type: a JSON <c>null</c> is an argument error.</param>
/// <param name="Json">Where its JSON metadata comes from; null for the token and until resolved.</param>
/// <param name="JsonRequest">What the resolver needs to find <see cref="Json"/>.</param>
/// <param name="Documentation">The actor's <c>&lt;param&gt;</c> text for it, or null.</param>
/// <param name="IsProgress">A <c>TypedTasks.TaskProgress</c>, filled from the invocation, never serialized.</param>
internal sealed record ParameterModel(
    string Name,
    string Identifier,
    string TypeName,
    bool IsCancellationToken,
    string? DefaultValue,
    bool RejectsNull,
    JsonMetadataSource? Json,
    JsonTypeRequest? JsonRequest,
    string? Documentation,
    bool IsProgress = false)
{
    public bool IsOptional => DefaultValue is not null;

    /// <summary>Filled by the worker (token, progress), not an argument on the wire.</summary>
    public bool IsInjected => IsCancellationToken || IsProgress;
}
