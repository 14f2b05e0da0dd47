using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using TypedTasks.Workflows;

namespace TypedTasks;

/// <summary>
/// A composed set of tasks: a chain (<c>Tasks.A.Message(x).Then(Tasks.B.With(...))</c>), a group
/// (<see cref="Group{TResult}(IEnumerable{IWorkflowStep{TResult}})"/>), a chord (a group followed by a step that
/// takes all results) or any graph of steps (<c>Tasks.E.Step(b, c, d)</c>). Immutable: every method returns a new
/// workflow. Sending it stores the workflow with the broker and enqueues its first steps; workers run the rest.
/// See docs/workflows.md.
/// </summary>
/// <remarks>
/// A step object used twice (as the input of two steps, or twice in a group) is one step that runs once: that is how
/// two branches share a dependency.
/// </remarks>
public abstract class Workflow : IWorkflowStep
{
    private protected Workflow(WorkflowNode node)
    {
        Node = node;
    }

    internal WorkflowNode Node { get; }

    /// <inheritdoc />
    Workflow IWorkflowStep.AsWorkflow() => this;

    /// <summary>Reads the stored result of this workflow's last step as the typed result (boxed).</summary>
    internal abstract object? ReadResult(ReadOnlySpan<byte> json);

    /// <summary>Runs <paramref name="next"/> after this workflow succeeds; nothing is passed to it.</summary>
    public Workflow Then(TaskRequest next) => new UntypedWorkflow(After(next));

    /// <summary>Runs <paramref name="next"/> after this workflow succeeds; nothing is passed to it.</summary>
    public Workflow<TNext> Then<TNext>(TaskRequest<TNext> next) => new(After(next), next.Result);

    /// <summary>When this workflow's last step succeeds, also runs <paramref name="callback"/> (nothing is passed to it).</summary>
    public Workflow OnSuccess(TaskRequest callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return Rewrap(Node.WithSuccessCallback(WorkflowCallback.From(callback, null)));
    }

    /// <summary>
    /// When this workflow's last step fails — it failed for good, or a step it depends on did — also runs
    /// <paramref name="callback"/> with a <see cref="WorkflowFailure"/> saying which task failed and why.
    /// </summary>
    public Workflow OnFailure(IWorkflowContinuation<WorkflowFailure> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return Rewrap(Node.WithFailureCallback(Callback(callback)));
    }

    /// <inheritdoc cref="OnFailure(IWorkflowContinuation{WorkflowFailure})"/>
    public Workflow OnFailure<TCallback>(IWorkflowContinuation<WorkflowFailure, TCallback> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return Rewrap(Node.WithFailureCallback(Callback(callback)));
    }

    /// <summary>Like <see cref="OnFailure(IWorkflowContinuation{WorkflowFailure})"/> with nothing passed to the callback.</summary>
    public Workflow OnFailure(TaskRequest callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return Rewrap(Node.WithFailureCallback(WorkflowCallback.From(callback, null)));
    }

    private protected static WorkflowCallback Callback(object callback)
    {
        var parts = IWorkflowStepParts.Of(callback, nameof(callback));
        return WorkflowCallback.From(parts.Request, parts.InputParameter);
    }

    /// <summary>The same kind of workflow around another node (callbacks added).</summary>
    private protected abstract Workflow Rewrap(WorkflowNode node);

    private WorkflowNode After(TaskRequest next)
    {
        ArgumentNullException.ThrowIfNull(next);
        return WorkflowNode.Task(next, [], [Node]);
    }

    /// <summary>
    /// Stores the workflow with the broker of <paramref name="client"/> (<see langword="null"/> =
    /// <see cref="TaskClient.Default"/>) and enqueues the steps that wait for nothing; workers run the rest. With
    /// <see cref="WorkflowOptions.WorkflowId"/>, sending the same id again stores nothing and returns a handle with
    /// <see cref="TaskHandle.IsDuplicate"/> set.
    /// </summary>
    public ValueTask<WorkflowHandle> SendAsync(ITaskClient? client = null, WorkflowOptions? options = null, CancellationToken cancellationToken = default) =>
        (client ?? TaskClient.Default).SendWorkflowAsync(this, options, cancellationToken);

    /// <summary>
    /// A group: runs <paramref name="members"/> in parallel; its result is their results in member order. A member that
    /// fails (after its retries) fails the group. Send it, or pass it on with <c>Then</c> (a chord).
    /// </summary>
    /// <exception cref="ArgumentException">A null member.</exception>
    public static Workflow<TResult[]> Group<TResult>(IEnumerable<IWorkflowStep<TResult>> members) => Group(members, maxFailures: 0);

    /// <summary>
    /// A group that tolerates failures: up to <paramref name="maxFailures"/> of <paramref name="members"/> may fail
    /// (after their retries) without failing the group; its result then holds the successful members' results, still in
    /// member order.
    /// </summary>
    /// <exception cref="ArgumentException">A null member, or a negative <paramref name="maxFailures"/>.</exception>
    public static Workflow<TResult[]> Group<TResult>(IEnumerable<IWorkflowStep<TResult>> members, int maxFailures)
    {
        var (nodes, readers) = Members<TResult>(members, maxFailures);
        return new Workflow<TResult[]>(WorkflowNode.Group(nodes, maxFailures), new GroupReader<TResult>(readers));
    }

    /// <summary>A group of steps without a (used) result: runs <paramref name="members"/> in parallel and succeeds when
    /// they all did.</summary>
    public static Workflow Group(IEnumerable<IWorkflowStep> members) => Group(members, maxFailures: 0);

    /// <summary>A group of steps without a (used) result that succeeds when all but <paramref name="maxFailures"/> of
    /// <paramref name="members"/> did.</summary>
    public static Workflow Group(IEnumerable<IWorkflowStep> members, int maxFailures)
    {
        ArgumentNullException.ThrowIfNull(members);
        ArgumentOutOfRangeException.ThrowIfNegative(maxFailures);
        var nodes = new List<WorkflowNode>();
        foreach (var member in members)
        {
            nodes.Add((member ?? throw new ArgumentException("A group member is null.", nameof(members))).AsWorkflow().Node);
        }

        return new UntypedWorkflow(WorkflowNode.Group(nodes, maxFailures));
    }

    /// <summary>A group of two steps with different result types; its result is the tuple of both.</summary>
    public static WorkflowGroup<T1, T2> Group<T1, T2>(IWorkflowStep<T1> first, IWorkflowStep<T2> second) =>
        new(Tuple(first, second));

    /// <summary>A group of three steps with different result types; its result is the tuple of all three.</summary>
    public static WorkflowGroup<T1, T2, T3> Group<T1, T2, T3>(IWorkflowStep<T1> first, IWorkflowStep<T2> second, IWorkflowStep<T3> third) =>
        new(Tuple(first, second, third));

    /// <summary>A group of four steps with different result types; its result is the tuple of all four.</summary>
    public static WorkflowGroup<T1, T2, T3, T4> Group<T1, T2, T3, T4>(IWorkflowStep<T1> first, IWorkflowStep<T2> second, IWorkflowStep<T3> third, IWorkflowStep<T4> fourth) =>
        new(Tuple(first, second, third, fourth));

    private static (List<WorkflowNode> Nodes, List<Workflow> Readers) Members<TResult>(IEnumerable<IWorkflowStep<TResult>> members, int maxFailures)
    {
        ArgumentNullException.ThrowIfNull(members);
        ArgumentOutOfRangeException.ThrowIfNegative(maxFailures);
        var nodes = new List<WorkflowNode>();
        var readers = new List<Workflow>();
        foreach (var member in members)
        {
            var workflow = (member ?? throw new ArgumentException("A group member is null.", nameof(members))).AsWorkflow();
            nodes.Add(workflow.Node);
            readers.Add(workflow);
        }

        return (nodes, readers);
    }

    private static (WorkflowNode Node, Workflow[] Members) Tuple(params IWorkflowStep[] members)
    {
        var workflows = new Workflow[members.Length];
        var nodes = new WorkflowNode[members.Length];
        for (var i = 0; i < members.Length; i++)
        {
            workflows[i] = (members[i] ?? throw new ArgumentNullException(nameof(members), $"Group member {i + 1} is null.")).AsWorkflow();
            nodes[i] = workflows[i].Node;
        }

        return (WorkflowNode.Group(nodes, maxFailures: 0), workflows);
    }

    private sealed class GroupReader<TResult>(List<Workflow> members) : ResultReader<TResult[]>
    {
        public override TResult[] Read(ReadOnlySpan<byte> json)
        {
            // A tolerant group's array holds only its successful members, so members and elements line up only when
            // none failed; each element is read by the reader of a member of the same static type either way.
            var ranges = JsonArrays.Elements(json);
            var items = new TResult[ranges.Count];
            for (var i = 0; i < items.Length; i++)
            {
                items[i] = (TResult)members[Math.Min(i, members.Count - 1)].ReadResult(json[ranges[i]])!;
            }

            return items;
        }
    }
}

/// <summary>A workflow whose last step returns a <typeparamref name="TResult"/>.</summary>
/// <typeparam name="TResult">The result type.</typeparam>
public sealed class Workflow<TResult> : Workflow, IWorkflowStep<TResult>
{
    internal Workflow(WorkflowNode node, ResultReader<TResult> result)
        : base(node)
    {
        Result = result;
    }

    internal ResultReader<TResult> Result { get; }

    internal override object? ReadResult(ReadOnlySpan<byte> json) => Result.Read(json);

    private protected override Workflow Rewrap(WorkflowNode node) => new Workflow<TResult>(node, Result);

    /// <summary>Runs <paramref name="next"/> after this workflow, passing this workflow's result as its first argument.</summary>
    public Workflow<TNext> Then<TNext>(IWorkflowContinuation<TResult, TNext> next)
    {
        ArgumentNullException.ThrowIfNull(next);
        var parts = IWorkflowStepParts.Of(next, nameof(next));
        return new Workflow<TNext>(WorkflowNode.Task(parts.Request, [new(parts.InputParameter, Node)], []), new PartsReader<TNext>(parts));
    }

    /// <summary>Runs <paramref name="next"/> (an actor without a result) after this workflow, passing this workflow's
    /// result as its first argument.</summary>
    public Workflow Then(IWorkflowContinuation<TResult> next)
    {
        ArgumentNullException.ThrowIfNull(next);
        var parts = IWorkflowStepParts.Of(next, nameof(next));
        return new UntypedWorkflow(WorkflowNode.Task(parts.Request, [new(parts.InputParameter, Node)], []));
    }

    /// <summary>When this step succeeds, also runs <paramref name="callback"/> with its result. The callback is a task
    /// of its own: its outcome does not change the workflow's.</summary>
    public Workflow<TResult> OnSuccess<TCallback>(IWorkflowContinuation<TResult, TCallback> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return new(Node.WithSuccessCallback(Callback(callback)), Result);
    }

    /// <summary>When this step succeeds, also runs <paramref name="callback"/> (an actor without a result) with its result.</summary>
    public Workflow<TResult> OnSuccess(IWorkflowContinuation<TResult> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return new(Node.WithSuccessCallback(Callback(callback)), Result);
    }

    /// <summary>When this step succeeds, also runs <paramref name="callback"/> (nothing is passed to it).</summary>
    public new Workflow<TResult> OnSuccess(TaskRequest callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return new(Node.WithSuccessCallback(WorkflowCallback.From(callback, null)), Result);
    }

    /// <summary>
    /// When this step fails — it failed for good, or a step it depends on did, so it never runs — also runs
    /// <paramref name="callback"/> with a <see cref="WorkflowFailure"/> saying which task failed and why. On a
    /// workflow's last step that is "when the workflow fails".
    /// </summary>
    public new Workflow<TResult> OnFailure<TCallback>(IWorkflowContinuation<WorkflowFailure, TCallback> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return new(Node.WithFailureCallback(Callback(callback)), Result);
    }

    /// <summary>Like <see cref="OnFailure{TCallback}(IWorkflowContinuation{WorkflowFailure, TCallback})"/> for a callback
    /// actor without a result.</summary>
    public new Workflow<TResult> OnFailure(IWorkflowContinuation<WorkflowFailure> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return new(Node.WithFailureCallback(Callback(callback)), Result);
    }

    /// <summary>Like <see cref="OnFailure{TCallback}(IWorkflowContinuation{WorkflowFailure, TCallback})"/> with nothing passed
    /// to the callback.</summary>
    public new Workflow<TResult> OnFailure(TaskRequest callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        return new(Node.WithFailureCallback(WorkflowCallback.From(callback, null)), Result);
    }

    /// <summary>Sends the workflow through <paramref name="client"/> (<see langword="null"/> = <see cref="TaskClient.Default"/>);
    /// the handle waits for the typed result.</summary>
    public new async ValueTask<WorkflowHandle<TResult>> SendAsync(ITaskClient? client = null, WorkflowOptions? options = null, CancellationToken cancellationToken = default)
    {
        var handle = await base.SendAsync(client, options, cancellationToken).ConfigureAwait(false);
        return new WorkflowHandle<TResult>(handle, Result.Read);
    }
}

/// <summary>A workflow whose result is not typed (its last step returns nothing, or a group of such steps).</summary>
internal sealed class UntypedWorkflow(WorkflowNode node) : Workflow(node)
{
    internal override object? ReadResult(ReadOnlySpan<byte> json) => null;

    private protected override Workflow Rewrap(WorkflowNode node) => new UntypedWorkflow(node);
}
