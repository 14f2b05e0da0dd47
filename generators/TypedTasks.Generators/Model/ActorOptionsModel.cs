using TypedTasks.Generators.Helpers;

namespace TypedTasks.Generators.Model;

/// <summary>The <c>[Actor]</c> options the user set, as C# literals; null means "not set".</summary>
/// <param name="DoNotRetryOn">Fully qualified exception types.</param>
/// <param name="TraceParenting">A <c>global::TypedTasks.TraceParenting</c> member access; null for Auto or unset.</param>
/// <param name="TrackStatus">"true" when the actor's tasks record their status by default; null when unset or false.</param>
/// <param name="UniqueForSeconds">Sends are unique by arguments: the window in seconds as a literal, <c>0</c> = until
/// the outcome is final; null = not unique. Read by the stub only, never by the worker, so not part of <see cref="IsEmpty"/>.</param>
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
    string? TrackStatus,
    string? UniqueForSeconds)
{
    public bool IsEmpty =>
        MaxRetries is null && MinBackoffSeconds is null && MaxBackoffSeconds is null && TimeLimitSeconds is null
        && MaxAgeSeconds is null && Priority is null && StoreResults is null && TraceParenting is null
        && TrackStatus is null;
}
