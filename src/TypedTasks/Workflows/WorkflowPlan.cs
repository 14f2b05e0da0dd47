using System;
using System.Collections.Generic;
using System.Linq;

namespace TypedTasks.Workflows;

/// <summary>
/// A composed workflow flattened into numbered steps: every node reachable from the last one, once each (by
/// <see cref="WorkflowNode.Identity"/>), numbered so that a step comes after every step it depends on; the last step
/// is the workflow's result.
/// </summary>
internal sealed class WorkflowPlan
{
    private WorkflowPlan(List<StepDefinition> steps)
    {
        Steps = steps;
    }

    public IReadOnlyList<StepDefinition> Steps { get; }

    public static WorkflowPlan Build(WorkflowNode output)
    {
        var index = new Dictionary<object, int>(ReferenceEqualityComparer.Instance);
        var nodes = new List<WorkflowNode>();
        // Iterative post-order: a chain of thousands of steps must not overflow the stack.
        var stack = new Stack<(WorkflowNode Node, bool Expanded)>();
        var onPath = new HashSet<object>(ReferenceEqualityComparer.Instance);
        stack.Push((output, false));
        while (stack.Count > 0)
        {
            var (node, expanded) = stack.Pop();
            if (index.ContainsKey(node.Identity))
            {
                continue;
            }

            if (expanded)
            {
                onPath.Remove(node.Identity);
                index[node.Identity] = nodes.Count;
                nodes.Add(node);
                continue;
            }

            // Immutable nodes cannot form a cycle; the check guards against a future mutable builder.
            if (!onPath.Add(node.Identity))
            {
                throw new InvalidOperationException("A workflow's steps form a cycle.");
            }

            stack.Push((node, true));
            var dependencies = Dependencies(node);
            for (var i = dependencies.Count - 1; i >= 0; i--)
            {
                if (!index.ContainsKey(dependencies[i].Identity))
                {
                    stack.Push((dependencies[i], false));
                }
            }
        }

        var steps = new List<StepDefinition>(nodes.Count);
        var dependants = new List<int>[nodes.Count];
        for (var i = 0; i < nodes.Count; i++)
        {
            dependants[i] = [];
        }

        for (var i = 0; i < nodes.Count; i++)
        {
            foreach (var dependency in Dependencies(nodes[i]).Select(d => index[d.Identity]).Distinct())
            {
                dependants[dependency].Add(i);
            }
        }

        for (var i = 0; i < nodes.Count; i++)
        {
            var node = nodes[i];
            var dependsOn = Dependencies(node).Select(d => index[d.Identity]).Distinct().Order().ToArray();
            steps.Add(new StepDefinition
            {
                IsGroup = node.IsGroup,
                Actor = node.Actor,
                Queue = node.Queue,
                Arguments = node.Arguments,
                Inputs = [.. node.Inputs.Select(input => new StepInput(input.Key, index[input.Value.Identity]))],
                Members = [.. node.Members.Select(m => index[m.Identity])],
                MaxFailures = node.MaxFailures,
                DependsOn = dependsOn,
                Dependants = [.. dependants[i]],
                IsOutput = i == nodes.Count - 1,
                Headers = node.Headers,
                TrackStatus = node.TrackStatus,
                Delay = node.Delay,
                OnSuccess = [.. node.OnSuccess],
                OnFailure = [.. node.OnFailure],
            });
        }

        return new WorkflowPlan(steps);
    }

    private static List<WorkflowNode> Dependencies(WorkflowNode node)
    {
        var list = new List<WorkflowNode>(node.Inputs.Count + node.After.Count + node.Members.Count);
        foreach (var input in node.Inputs)
        {
            list.Add(input.Value);
        }

        list.AddRange(node.After);
        list.AddRange(node.Members);
        return list;
    }
}

/// <summary>A parameter fed from step <paramref name="Source"/>'s result.</summary>
internal readonly record struct StepInput(string Parameter, int Source);

/// <summary>One step as stored (<see cref="WorkflowCodec"/>) and as the engine reads it back.</summary>
internal sealed class StepDefinition
{
    public bool IsGroup { get; init; }

    public string Actor { get; init; } = "";

    public string Queue { get; init; } = "";

    public ReadOnlyMemory<byte> Arguments { get; init; }

    public StepInput[] Inputs { get; init; } = [];

    public int[] Members { get; init; } = [];

    public int MaxFailures { get; init; }

    public int[] DependsOn { get; init; } = [];

    public int[] Dependants { get; init; } = [];

    public bool IsOutput { get; init; }

    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    public bool? TrackStatus { get; init; }

    public TimeSpan? Delay { get; init; }

    public WorkflowCallback[] OnSuccess { get; init; } = [];

    public WorkflowCallback[] OnFailure { get; init; } = [];
}
