using TypedTasks.Generators.Helpers;

namespace TypedTasks.Generators.Model;

/// <summary>Everything the emitters need to know about one valid actor.</summary>
/// <remarks>Immutable and structurally equal (strings, records and <see cref="EquatableArray{T}"/> only), or the
/// incremental pipeline re-emits on every keystroke. It never holds symbols, syntax or locations, except
/// <see cref="NameLocation"/>, a plain-value copy used for the duplicate-name diagnostics.</remarks>
/// <param name="Key">Unique per method (its documentation id); identifies the actor across pipeline steps.</param>
/// <param name="GroupName">The class under <c>Tasks</c> that holds the stub: the declaring type's name, as an identifier.</param>
/// <param name="StubName">The stub class under the group: the method name without an <c>Async</c> suffix, as an identifier.</param>
/// <param name="WireName">The actor's wire name.</param>
/// <param name="Queue">The actor's default queue.</param>
/// <param name="ContainingTypeName">The fully qualified type declaring the method.</param>
/// <param name="MethodName">The method name, as an identifier.</param>
/// <param name="MethodDisplayName">The method for messages and docs (<c>MyApp.Emails.SendEmail(string)</c>).</param>
/// <param name="MethodDocumentationId">The method's documentation id, for a <c>cref</c>.</param>
/// <param name="TypeDocumentationId">The declaring type's documentation id, for the group's <c>cref</c>.</param>
/// <param name="IsPublic">Whether the method and every type of its signature are public, so its stub may be too.</param>
/// <param name="Instance">Null for a static method.</param>
/// <param name="ResultTypeName">The annotated result type; null when the actor returns no value.</param>
/// <param name="Schedules">The actor's valid <c>[Schedule]</c>s, in declaration order.</param>
internal sealed record ActorModel(
    string Key,
    string GroupName,
    string StubName,
    string WireName,
    string Queue,
    string ContainingTypeName,
    string MethodName,
    string MethodDisplayName,
    string MethodDocumentationId,
    string TypeDocumentationId,
    bool IsPublic,
    InstanceFactoryModel? Instance,
    EquatableArray<ParameterModel> Parameters,
    ReturnKind ReturnKind,
    string? ResultTypeName,
    JsonTypeRequest? ResultRequest,
    JsonMetadataSource? ResultJson,
    ActorOptionsModel Options,
    EquatableArray<ScheduleModel> Schedules,
    string? Summary,
    string? Remarks,
    LocationInfo? NameLocation)
{
    public bool HasResult => ResultTypeName is not null;
}
