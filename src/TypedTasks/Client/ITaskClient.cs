using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace TypedTasks;

/// <summary>Sends tasks and reads their outcomes. Generated stubs use <see cref="TaskClient.Default"/> or an explicit client.</summary>
public interface ITaskClient
{
    /// <summary>
    /// Turns <paramref name="request"/> into its message (id, enqueue time, due time on this client's clock), sends it
    /// through the send middleware and returns the handle of the message that reached the broker.
    /// </summary>
    ValueTask<TaskHandle> SendAsync(TaskRequest request, CancellationToken cancellationToken = default);

    /// <summary>Sends a batch like <see cref="SendAsync"/> (one round trip where the broker allows); the handles are
    /// in the order of <paramref name="requests"/>.</summary>
    ValueTask<IReadOnlyList<TaskHandle>> SendManyAsync(IReadOnlyList<TaskRequest> requests, CancellationToken cancellationToken = default);

    /// <summary>
    /// Cancels task <paramref name="taskId"/>: a queued or scheduled task (or a pending retry) never starts; a running
    /// one's cancellation token fires on whichever worker runs it, within about a second, and it is not retried. The
    /// task's outcome becomes <see cref="DeadLetterReason.Cancelled"/> at once, so waiters get a
    /// <see cref="TaskFailedException"/> whose <see cref="TaskFailedException.IsCancelled"/> is set; a unique key it
    /// holds is released when a worker settles it. A finished task is left alone (<see cref="CancelResult.AlreadyFinished"/>).
    /// </summary>
    ValueTask<CancelResult> CancelAsync(string taskId, CancellationToken cancellationToken = default);

    /// <summary>Where outcomes are read from.</summary>
    ITaskResultStore Results { get; }

    /// <summary>Where status and progress are read from.</summary>
    ITaskStatusStore Status { get; }

    /// <summary>The status of task <paramref name="taskId"/> (one read, no scan); <see cref="TaskState.Unknown"/> for an
    /// id nothing is recorded about.</summary>
    ValueTask<TaskStatusInfo> GetStatusAsync(string taskId, CancellationToken cancellationToken = default) =>
        Status.GetAsync(taskId, cancellationToken);

    /// <summary>
    /// Stores <paramref name="workflow"/> with the broker and enqueues its steps that wait for nothing; workers run the
    /// rest (docs/workflows.md). Generated and composed workflows call this from their <c>SendAsync</c>.
    /// </summary>
    /// <exception cref="System.NotSupportedException">The client's broker keeps no workflows.</exception>
    ValueTask<WorkflowHandle> SendWorkflowAsync(Workflow workflow, WorkflowOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new System.NotSupportedException($"{GetType().Name} cannot send workflows.");

    /// <summary>Cancels workflow <paramref name="workflowId"/> (<see cref="WorkflowHandle.CancelAsync"/>).</summary>
    ValueTask<CancelResult> CancelWorkflowAsync(string workflowId, CancellationToken cancellationToken = default) =>
        throw new System.NotSupportedException($"{GetType().Name} cannot cancel workflows.");

    /// <summary>The state of workflow <paramref name="workflowId"/> and of each of its steps (one read).</summary>
    ValueTask<WorkflowStatus> GetWorkflowStatusAsync(string workflowId, CancellationToken cancellationToken = default) =>
        throw new System.NotSupportedException($"{GetType().Name} cannot read workflows.");
}
