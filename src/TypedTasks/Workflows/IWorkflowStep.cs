namespace TypedTasks;

/// <summary>
/// Something that can be a step of a workflow: a task request (<c>Tasks.X.Y.Message(...)</c>) or a composed
/// <see cref="Workflow"/>. Implemented only by TypedTasks' own types.
/// </summary>
public interface IWorkflowStep
{
    /// <summary>This step as a workflow (a request becomes a one-step workflow).</summary>
    Workflow AsWorkflow();
}

/// <summary>A workflow step whose result is a <typeparamref name="TResult"/>: a typed request or a typed workflow.
/// Groups take these (<see cref="Workflow.Group{TResult}(System.Collections.Generic.IEnumerable{IWorkflowStep{TResult}})"/>).</summary>
/// <typeparam name="TResult">The result type.</typeparam>
public interface IWorkflowStep<out TResult> : IWorkflowStep
{
}
