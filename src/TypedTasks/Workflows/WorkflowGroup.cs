using System;
using System.Threading;
using System.Threading.Tasks;
using TypedTasks.Workflows;

namespace TypedTasks;

/// <summary>A group of two steps with different result types (<see cref="Workflow.Group{T1, T2}"/>): its result is
/// the tuple of both, in order. It can be sent and awaited, or waited for by a later step (<c>Then(request)</c>); a
/// step that takes both results as typed arguments is written with <c>Tasks.X.Y.Step(first, second)</c>.</summary>
public sealed class WorkflowGroup<T1, T2> : Workflow
{
    private readonly Workflow[] _members;

    internal WorkflowGroup((WorkflowNode Node, Workflow[] Members) group)
        : base(group.Node)
    {
        _members = group.Members;
    }

    internal override object? ReadResult(ReadOnlySpan<byte> json) => Read(json);

    private protected override Workflow Rewrap(WorkflowNode node) => new UntypedWorkflowWithReader(node, this);

    private (T1, T2) Read(ReadOnlySpan<byte> json)
    {
        var items = TupleResults.Read(json, _members);
        return ((T1)items[0]!, (T2)items[1]!);
    }

    /// <summary>Sends the group through <paramref name="client"/> (<see langword="null"/> = <see cref="TaskClient.Default"/>); the handle waits for the tuple of results.</summary>
    public new async ValueTask<WorkflowHandle<(T1, T2)>> SendAsync(ITaskClient? client = null, WorkflowOptions? options = null, CancellationToken cancellationToken = default)
    {
        var handle = await base.SendAsync(client, options, cancellationToken).ConfigureAwait(false);
        return new WorkflowHandle<(T1, T2)>(handle, Read);
    }
}

/// <summary>A group of three steps with different result types (<see cref="Workflow.Group{T1, T2, T3}"/>): its result
/// is the tuple of all three, in order.</summary>
public sealed class WorkflowGroup<T1, T2, T3> : Workflow
{
    private readonly Workflow[] _members;

    internal WorkflowGroup((WorkflowNode Node, Workflow[] Members) group)
        : base(group.Node)
    {
        _members = group.Members;
    }

    internal override object? ReadResult(ReadOnlySpan<byte> json) => Read(json);

    private protected override Workflow Rewrap(WorkflowNode node) => new UntypedWorkflowWithReader(node, this);

    private (T1, T2, T3) Read(ReadOnlySpan<byte> json)
    {
        var items = TupleResults.Read(json, _members);
        return ((T1)items[0]!, (T2)items[1]!, (T3)items[2]!);
    }

    /// <summary>Sends the group through <paramref name="client"/> (<see langword="null"/> = <see cref="TaskClient.Default"/>); the handle waits for the tuple of results.</summary>
    public new async ValueTask<WorkflowHandle<(T1, T2, T3)>> SendAsync(ITaskClient? client = null, WorkflowOptions? options = null, CancellationToken cancellationToken = default)
    {
        var handle = await base.SendAsync(client, options, cancellationToken).ConfigureAwait(false);
        return new WorkflowHandle<(T1, T2, T3)>(handle, Read);
    }
}

/// <summary>A group of four steps with different result types (<see cref="Workflow.Group{T1, T2, T3, T4}"/>): its
/// result is the tuple of all four, in order.</summary>
public sealed class WorkflowGroup<T1, T2, T3, T4> : Workflow
{
    private readonly Workflow[] _members;

    internal WorkflowGroup((WorkflowNode Node, Workflow[] Members) group)
        : base(group.Node)
    {
        _members = group.Members;
    }

    internal override object? ReadResult(ReadOnlySpan<byte> json) => Read(json);

    private protected override Workflow Rewrap(WorkflowNode node) => new UntypedWorkflowWithReader(node, this);

    private (T1, T2, T3, T4) Read(ReadOnlySpan<byte> json)
    {
        var items = TupleResults.Read(json, _members);
        return ((T1)items[0]!, (T2)items[1]!, (T3)items[2]!, (T4)items[3]!);
    }

    /// <summary>Sends the group through <paramref name="client"/> (<see langword="null"/> = <see cref="TaskClient.Default"/>); the handle waits for the tuple of results.</summary>
    public new async ValueTask<WorkflowHandle<(T1, T2, T3, T4)>> SendAsync(ITaskClient? client = null, WorkflowOptions? options = null, CancellationToken cancellationToken = default)
    {
        var handle = await base.SendAsync(client, options, cancellationToken).ConfigureAwait(false);
        return new WorkflowHandle<(T1, T2, T3, T4)>(handle, Read);
    }
}

/// <summary>A tuple group with callbacks added: sendable (untyped) and still readable by the original group.</summary>
internal sealed class UntypedWorkflowWithReader(WorkflowNode node, Workflow reader) : Workflow(node)
{
    internal override object? ReadResult(ReadOnlySpan<byte> json) => reader.ReadResult(json);

    private protected override Workflow Rewrap(WorkflowNode node) => new UntypedWorkflowWithReader(node, this);
}

internal static class TupleResults
{
    public static object?[] Read(ReadOnlySpan<byte> json, Workflow[] members)
    {
        var ranges = JsonArrays.Elements(json);
        if (ranges.Count != members.Length)
        {
            throw new FormatException($"A group of {members.Length} steps stored {ranges.Count} results.");
        }

        var items = new object?[members.Length];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = members[i].ReadResult(json[ranges[i]]);
        }

        return items;
    }
}
