using System;
using System.Collections.Generic;

namespace TypedTasks.Workflows;

/// <summary>
/// One node of a workflow graph as the user composed it: a task (an actor with fixed arguments, some parameters fed
/// from other nodes' results, some nodes only waited for) or a group (members whose results form an array). Immutable;
/// identity is by reference (<see cref="Identity"/>), so a node used twice is one step that runs once.
/// </summary>
internal sealed class WorkflowNode
{
    private WorkflowNode(object? identity)
    {
        Identity = identity ?? this;
    }

    /// <summary>Who this node is: the request it was made from, or the node itself.</summary>
    public object Identity { get; }

    public bool IsGroup { get; private init; }

    public string Actor { get; private init; } = "";

    public string Queue { get; private init; } = "";

    public ReadOnlyMemory<byte> Arguments { get; private init; }

    /// <summary>Parameters fed from another node's result.</summary>
    public IReadOnlyList<KeyValuePair<string, WorkflowNode>> Inputs { get; private init; } = [];

    /// <summary>Nodes only waited for (their result is not passed on).</summary>
    public IReadOnlyList<WorkflowNode> After { get; private init; } = [];

    public IReadOnlyDictionary<string, string>? Headers { get; private init; }

    public bool? TrackStatus { get; private init; }

    public TimeSpan? Delay { get; private init; }

    /// <summary>A group's members, in result order.</summary>
    public IReadOnlyList<WorkflowNode> Members { get; private init; } = [];

    /// <summary>How many members of a group may fail before the group fails.</summary>
    public int MaxFailures { get; private init; }

    public IReadOnlyList<WorkflowCallback> OnSuccess { get; private init; } = [];

    public IReadOnlyList<WorkflowCallback> OnFailure { get; private init; } = [];

    public static WorkflowNode FromRequest(TaskRequest request) => Task(request, [], [], identity: request);

    public static WorkflowNode Task(TaskRequest request, IReadOnlyList<KeyValuePair<string, WorkflowNode>> inputs, IReadOnlyList<WorkflowNode> after, object? identity = null)
    {
        ThrowIfUnsupported(request, "step");

        return new WorkflowNode(identity)
        {
            Actor = request.Actor,
            Queue = request.Queue,
            Arguments = request.Arguments,
            Inputs = inputs,
            After = after,
            Headers = request.Headers,
            TrackStatus = request.TrackStatus,
            Delay = request.Delay,
        };
    }

    /// <summary>Refuses the per-send choices a workflow step cannot honour, instead of dropping them.</summary>
    internal static void ThrowIfUnsupported(TaskRequest request, string what)
    {
        if (request.TaskId is not null)
        {
            throw new ArgumentException(
                $"A workflow {what} ('{request.Actor}') cannot choose its task id: its id is derived from the workflow id (WorkflowOptions.WorkflowId).",
                nameof(request));
        }

        if (request.NotBefore is not null)
        {
            throw new ArgumentException(
                $"A workflow {what} ('{request.Actor}') cannot have SendOptions.NotBefore: it is enqueued when the steps it waits for are done; use SendOptions.Delay, counted from then.",
                nameof(request));
        }
    }

    public static WorkflowNode Group(IReadOnlyList<WorkflowNode> members, int maxFailures) =>
        new(identity: null) { IsGroup = true, Members = members, MaxFailures = maxFailures };

    public WorkflowNode WithSuccessCallback(WorkflowCallback callback) => Copy(OnSuccess: [.. OnSuccess, callback], OnFailure: OnFailure);

    public WorkflowNode WithFailureCallback(WorkflowCallback callback) => Copy(OnSuccess: OnSuccess, OnFailure: [.. OnFailure, callback]);

    // A node with callbacks is a node of its own: the same request used elsewhere without them stays another step.
    private WorkflowNode Copy(IReadOnlyList<WorkflowCallback> OnSuccess, IReadOnlyList<WorkflowCallback> OnFailure) => new(identity: null)
    {
        IsGroup = IsGroup,
        Actor = Actor,
        Queue = Queue,
        Arguments = Arguments,
        Inputs = Inputs,
        After = After,
        Headers = Headers,
        TrackStatus = TrackStatus,
        Delay = Delay,
        Members = Members,
        MaxFailures = MaxFailures,
        OnSuccess = OnSuccess,
        OnFailure = OnFailure,
    };
}

/// <summary>A task sent when a node succeeds or fails; <see cref="InputParameter"/> receives the node's result (on
/// success) or a <see cref="WorkflowFailure"/> (on failure), <see langword="null"/> = nothing is passed.</summary>
internal sealed record WorkflowCallback(string Actor, string Queue, ReadOnlyMemory<byte> Arguments, string? InputParameter, IReadOnlyDictionary<string, string>? Headers, bool? TrackStatus, TimeSpan? Delay)
{
    public static WorkflowCallback From(TaskRequest request, string? inputParameter)
    {
        WorkflowNode.ThrowIfUnsupported(request, "callback");
        return new(request.Actor, request.Queue, request.Arguments, inputParameter, request.Headers, request.TrackStatus, request.Delay);
    }
}
