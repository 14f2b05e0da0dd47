using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Text.Json.Serialization.Metadata;
using TypedTasks.Workflows;

namespace TypedTasks.Generated;

/// <summary>Builds workflow steps; the generated <c>With(...)</c> and <c>Step(...)</c> builders call this.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class WorkflowSteps
{
    /// <summary>
    /// A step of an actor returning <typeparamref name="TResult"/> that waits for its first argument
    /// (<paramref name="inputParameter"/>); <paramref name="request"/> is what <c>Message</c> would build from the
    /// other arguments (its queue, options, tracking).
    /// </summary>
    public static WorkflowStep<TInput, TResult> With<TInput, TResult>(TaskRequest request, string inputParameter, JsonTypeInfo<TResult> resultTypeInfo)
    {
        ArgumentNullException.ThrowIfNull(request);
        WireNames.ThrowIfInvalid(inputParameter, "parameter name", nameof(inputParameter));
        return new WorkflowStep<TInput, TResult>(request, inputParameter, ResultReader<TResult>.From(resultTypeInfo));
    }

    /// <summary>Like <see cref="With{TInput, TResult}"/> for an actor without a result.</summary>
    public static WorkflowStep<TInput> With<TInput>(TaskRequest request, string inputParameter)
    {
        ArgumentNullException.ThrowIfNull(request);
        WireNames.ThrowIfInvalid(inputParameter, "parameter name", nameof(inputParameter));
        return new WorkflowStep<TInput>(request, inputParameter);
    }

    /// <summary>
    /// A step of an actor returning <typeparamref name="TResult"/> whose parameters named in <paramref name="inputs"/>
    /// receive other steps' results; <paramref name="request"/> carries the other arguments.
    /// </summary>
    public static Workflow<TResult> Step<TResult>(TaskRequest request, IReadOnlyList<KeyValuePair<string, Workflow>> inputs, JsonTypeInfo<TResult> resultTypeInfo)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new Workflow<TResult>(WorkflowNode.Task(request, Nodes(inputs), []), ResultReader<TResult>.From(resultTypeInfo));
    }

    /// <summary>Like <see cref="Step{TResult}"/> for an actor without a result.</summary>
    public static Workflow Step(TaskRequest request, IReadOnlyList<KeyValuePair<string, Workflow>> inputs)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new UntypedWorkflow(WorkflowNode.Task(request, Nodes(inputs), []));
    }

    private static KeyValuePair<string, WorkflowNode>[] Nodes(IReadOnlyList<KeyValuePair<string, Workflow>> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var nodes = new KeyValuePair<string, WorkflowNode>[inputs.Count];
        for (var i = 0; i < nodes.Length; i++)
        {
            nodes[i] = new(inputs[i].Key, inputs[i].Value?.Node ?? throw new ArgumentException($"The source of '{inputs[i].Key}' is null.", nameof(inputs)));
        }

        return nodes;
    }
}
