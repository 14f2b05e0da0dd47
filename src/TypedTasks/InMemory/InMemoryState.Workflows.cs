using System;
using System.Collections.Generic;
using TypedTasks.Brokers;

namespace TypedTasks;

/// <summary>The workflows of an in-memory broker, under the same single lock as everything else.</summary>
internal sealed partial class InMemoryState
{
    private readonly Dictionary<string, StoredWorkflow> _workflows = new(StringComparer.Ordinal);

    /// <summary>The workflow stored under <paramref name="id"/>, or <see langword="null"/> (an expired one is dropped).</summary>
    public StoredWorkflow? GetWorkflowLocked(string id)
    {
        if (!_workflows.TryGetValue(id, out var workflow))
        {
            return null;
        }

        if (workflow.ExpiresAt <= TimeProvider.GetUtcNow())
        {
            _workflows.Remove(id);
            return null;
        }

        return workflow;
    }

    public bool AddWorkflowLocked(WorkflowDraft draft, TimeSpan timeToLive)
    {
        if (GetWorkflowLocked(draft.Id) is not null)
        {
            return false;
        }

        _workflows[draft.Id] = new StoredWorkflow(draft)
        {
            ExpiresAt = TimeProvider.GetUtcNow() + timeToLive,
        };
        return true;
    }

    /// <summary>One workflow's state: the draft as given, plus the counts, outcomes and final state as they change.</summary>
    internal sealed class StoredWorkflow(WorkflowDraft draft)
    {
        public WorkflowDraft Draft { get; } = draft;

        public int[] Waiting { get; } = [.. draft.Waiting];

        public int[] Failures { get; } = new int[draft.Steps.Count];

        public TaskOutcome?[] Outcomes { get; } = new TaskOutcome?[draft.Steps.Count];

        public WorkflowFinalState? Final { get; set; }

        public DateTimeOffset ExpiresAt { get; set; }
    }
}
