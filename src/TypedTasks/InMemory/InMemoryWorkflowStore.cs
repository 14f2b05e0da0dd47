using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using TypedTasks.Brokers;

namespace TypedTasks;

/// <summary>The <see cref="InMemoryBroker"/>'s workflows: a view on <see cref="InMemoryState"/> (its one lock makes
/// every operation atomic, as a Redis script is).</summary>
internal sealed class InMemoryWorkflowStore(InMemoryState state) : IWorkflowStore
{
    public ValueTask<bool> CreateAsync(WorkflowDraft workflow, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeToLive, TimeSpan.Zero);
        if (workflow.Steps.Count != workflow.Waiting.Count)
        {
            throw new ArgumentException($"The workflow has {workflow.Steps.Count} steps but {workflow.Waiting.Count} waiting counts.", nameof(workflow));
        }

        lock (state.Gate)
        {
            return ValueTask.FromResult(state.AddWorkflowLocked(workflow, timeToLive));
        }
    }

    public ValueTask<IReadOnlyList<ReadOnlyMemory<byte>>?> GetStepsAsync(string workflowId, IReadOnlyList<int>? steps, CancellationToken cancellationToken = default)
    {
        lock (state.Gate)
        {
            if (state.GetWorkflowLocked(workflowId) is not { } workflow)
            {
                return ValueTask.FromResult<IReadOnlyList<ReadOnlyMemory<byte>>?>(null);
            }

            if (steps is null)
            {
                return ValueTask.FromResult<IReadOnlyList<ReadOnlyMemory<byte>>?>([.. workflow.Draft.Steps]);
            }

            var result = new ReadOnlyMemory<byte>[steps.Count];
            for (var i = 0; i < result.Length; i++)
            {
                result[i] = workflow.Draft.Steps[Check(workflow, steps[i])];
            }

            return ValueTask.FromResult<IReadOnlyList<ReadOnlyMemory<byte>>?>(result);
        }
    }

    public ValueTask<WorkflowStepCompletion> CompleteStepAsync(string workflowId, int step, TaskOutcome outcome, IReadOnlyList<int> dependants, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(dependants);
        lock (state.Gate)
        {
            if (state.GetWorkflowLocked(workflowId) is not { } workflow)
            {
                return ValueTask.FromResult(new WorkflowStepCompletion(false, null, [], []));
            }

            Check(workflow, step);
            foreach (var dependant in dependants)
            {
                Check(workflow, dependant);
            }

            if (workflow.Outcomes[step] is null)
            {
                workflow.Outcomes[step] = outcome;
                foreach (var dependant in dependants)
                {
                    workflow.Waiting[dependant]--;
                    if (!outcome.Succeeded)
                    {
                        workflow.Failures[dependant]++;
                    }
                }
            }

            Renew(workflow, timeToLive);
            var waiting = new int[dependants.Count];
            var failures = new int[dependants.Count];
            for (var i = 0; i < waiting.Length; i++)
            {
                waiting[i] = workflow.Waiting[dependants[i]];
                failures[i] = workflow.Failures[dependants[i]];
            }

            return ValueTask.FromResult(new WorkflowStepCompletion(true, workflow.Final, waiting, failures));
        }
    }

    public ValueTask<IReadOnlyList<TaskOutcome?>> GetOutcomesAsync(string workflowId, IReadOnlyList<int> steps, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(steps);
        lock (state.Gate)
        {
            var result = new TaskOutcome?[steps.Count];
            if (state.GetWorkflowLocked(workflowId) is { } workflow)
            {
                for (var i = 0; i < result.Length; i++)
                {
                    result[i] = workflow.Outcomes[Check(workflow, steps[i])];
                }
            }

            return ValueTask.FromResult<IReadOnlyList<TaskOutcome?>>(result);
        }
    }

    public ValueTask<WorkflowFinalState?> FinishAsync(string workflowId, WorkflowFinalState final, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(final);
        lock (state.Gate)
        {
            if (state.GetWorkflowLocked(workflowId) is not { } workflow)
            {
                return ValueTask.FromResult<WorkflowFinalState?>(null);
            }

            workflow.Final ??= final;
            workflow.ExpiresAt = state.TimeProvider.GetUtcNow() + timeToLive;
            return ValueTask.FromResult<WorkflowFinalState?>(workflow.Final);
        }
    }

    public ValueTask<WorkflowFinalState?> GetFinalAsync(string workflowId, CancellationToken cancellationToken = default)
    {
        lock (state.Gate)
        {
            return ValueTask.FromResult(state.GetWorkflowLocked(workflowId)?.Final);
        }
    }

    public ValueTask<WorkflowSnapshot?> GetSnapshotAsync(string workflowId, CancellationToken cancellationToken = default)
    {
        lock (state.Gate)
        {
            if (state.GetWorkflowLocked(workflowId) is not { } workflow)
            {
                return ValueTask.FromResult<WorkflowSnapshot?>(null);
            }

            return ValueTask.FromResult<WorkflowSnapshot?>(new WorkflowSnapshot(workflow.Draft.Summary, workflow.Final, [.. workflow.Waiting], [.. workflow.Outcomes]));
        }
    }

    private void Renew(InMemoryState.StoredWorkflow workflow, TimeSpan timeToLive)
    {
        var expiresAt = state.TimeProvider.GetUtcNow() + timeToLive;
        if (expiresAt > workflow.ExpiresAt)
        {
            workflow.ExpiresAt = expiresAt;
        }
    }

    private static int Check(InMemoryState.StoredWorkflow workflow, int step)
    {
        if ((uint)step >= (uint)workflow.Draft.Steps.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, $"Workflow {workflow.Draft.Id} has {workflow.Draft.Steps.Count} steps.");
        }

        return step;
    }
}
