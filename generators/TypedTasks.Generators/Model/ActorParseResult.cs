using TypedTasks.Generators.Helpers;

namespace TypedTasks.Generators.Model;

/// <summary>The outcome of reading one <c>[Actor]</c> method: its model and its diagnostics.</summary>
/// <remarks>An actor with diagnostics keeps its model when its signature is sound enough to stand in generated code
/// (its stub gets bodies that throw, see <see cref="ActorOutputModel.IsShapeOnly"/>), so that one mistake never
/// cascades into "does not contain a definition" errors at call sites. The model is null when even the signature
/// cannot be generated (unknown types, generic or inaccessible methods, reserved names).</remarks>
internal sealed record ActorParseResult(ActorModel? Actor, EquatableArray<DiagnosticInfo> Diagnostics)
{
    /// <summary>A model without errors: it is registered and dispatched.</summary>
    public bool IsValid => Actor is not null && Diagnostics.IsEmpty;
}
