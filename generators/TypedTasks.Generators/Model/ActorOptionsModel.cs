using TypedTasks.Generators.Helpers;

namespace TypedTasks.Generators.Model;

/// <summary>The <c>[Actor]</c> options the user set, as C# literals; null means "not set".</summary>
/// <param name="DoNotRetryOn">Fully qualified exception types.</param>
/// <param name="TraceParenting">A <c>global::TypedTasks.TraceParenting</c> member access; null for Auto or unset.</param>
/// <param name="TrackStatus">"true" when the actor's tasks record their status by default; null when unset or false.</param>
internal sealed record ActorOptionsModel(
    string? MaxRetries,
    string? MinBackoffSeconds,
    string? MaxBackoffSeconds,
    string? TimeLimitSeconds,
    string? MaxAgeSeconds,
    string? Priority,
    string? StoreResults,
    EquatableArray<string> DoNotRetryOn,
    string? TraceParenting,
    string? TrackStatus)
{
    public bool IsEmpty =>
        MaxRetries is null && MinBackoffSeconds is null && MaxBackoffSeconds is null && TimeLimitSeconds is null
        && MaxAgeSeconds is null && Priority is null && StoreResults is null && TraceParenting is null
        && TrackStatus is null;
}
