using TypedTasks.Generators.Helpers;

namespace TypedTasks.Generators.Model;

/// <summary>The outcome of reading one <c>[Actor]</c> method: a model when it is valid, and its diagnostics.</summary>
/// <remarks>An invalid actor has a null <see cref="Actor"/>: it produces its diagnostics and no code, so that one
/// mistake never cascades into compiler errors in generated code.</remarks>
internal sealed record ActorParseResult(ActorModel? Actor, EquatableArray<DiagnosticInfo> Diagnostics);
