namespace TypedTasks;

/// <summary>
/// What a failure callback (<c>OnFailure</c>) receives: which task of which workflow failed, and why. Its JSON metadata
/// is built in, so an actor may take it as its first parameter without declaring anything.
/// </summary>
/// <param name="WorkflowId">The workflow's id.</param>
/// <param name="TaskId">The id of the task that failed (for a group that failed, the group's step id).</param>
/// <param name="Actor">The wire name of the actor that failed (<c>group</c> for a group).</param>
/// <param name="Step">The failed step's index in <see cref="WorkflowStatus.Steps"/>.</param>
/// <param name="Reason">Why it failed for good.</param>
/// <param name="ErrorType">The exception's full type name, or a short code.</param>
/// <param name="ErrorMessage">The error message.</param>
public sealed record WorkflowFailure(string WorkflowId, string TaskId, string Actor, int Step, DeadLetterReason Reason, string ErrorType, string ErrorMessage);
