using System;
using System.Threading;
using System.Threading.Tasks;

namespace TypedTasks;

/// <summary>
/// A sent workflow. <see cref="TaskHandle.Id"/> is the workflow id; the workflow's outcome is stored under it, so
/// <see cref="TaskHandle.WaitAsync"/> waits for the whole workflow, and a failure throws a
/// <see cref="TaskFailedException"/> naming the step that failed.
/// </summary>
public class WorkflowHandle : TaskHandle
{
    /// <summary>The actor name a workflow handle reports (<see cref="TaskHandle.Actor"/>).</summary>
    public const string WorkflowActor = "workflow";

    /// <summary>Creates a handle for workflow <paramref name="workflowId"/>.</summary>
    public WorkflowHandle(string workflowId, ITaskClient client)
        : base(workflowId, WorkflowActor, client)
    {
    }

    /// <summary>Each step's state, and the workflow's (one read of the workflow's state).</summary>
    public ValueTask<WorkflowStatus> GetWorkflowStatusAsync(CancellationToken cancellationToken = default) =>
        Client.GetWorkflowStatusAsync(Id, cancellationToken);

    /// <summary>
    /// Cancels the workflow: steps that have not started never start, running steps' cancellation tokens fire, and
    /// waiters get a <see cref="TaskFailedException"/> whose <see cref="TaskFailedException.IsCancelled"/> is set.
    /// A finished workflow is left alone (<see cref="CancelResult.AlreadyFinished"/>).
    /// </summary>
    public override ValueTask<CancelResult> CancelAsync(CancellationToken cancellationToken = default) =>
        Client.CancelWorkflowAsync(Id, cancellationToken);

    /// <summary>A handle of step <paramref name="index"/>'s task (see <see cref="WorkflowStepStatus.TaskId"/>).</summary>
    public TaskHandle Step(int index, string actor)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return new TaskHandle(Workflows.WorkflowIds.Step(Id, index), actor, Client);
    }
}

/// <summary>A sent workflow whose result is a <typeparamref name="TResult"/>.</summary>
/// <typeparam name="TResult">The result type.</typeparam>
public sealed class WorkflowHandle<TResult> : WorkflowHandle
{
    private readonly ReadSpan _read;

    internal WorkflowHandle(WorkflowHandle handle, ReadSpan read)
        : base(handle.Id, handle.Client)
    {
        IsDuplicate = handle.IsDuplicate;
        _read = read;
    }

    internal delegate TResult ReadSpan(ReadOnlySpan<byte> json);

    /// <summary>Waits for the workflow's result: the result of its last step (a group's: all members' results).</summary>
    /// <exception cref="TaskFailedException">A step failed for good (the message names it), or the workflow was
    /// cancelled (<see cref="TaskFailedException.IsCancelled"/>).</exception>
    /// <exception cref="TimeoutException">No outcome within <paramref name="timeout"/>.</exception>
    public async Task<TResult> GetResultAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var outcome = await WaitForOutcomeAsync(timeout, cancellationToken).ConfigureAwait(false);
        return _read(outcome.Value.Span);
    }
}
