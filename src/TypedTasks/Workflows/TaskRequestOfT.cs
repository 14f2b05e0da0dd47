using System;
using System.Text.Json.Serialization.Metadata;
using TypedTasks.Workflows;

namespace TypedTasks;

/// <summary>
/// A task to send whose actor returns a <typeparamref name="TResult"/>: what <c>Tasks.X.Y.Message(...)</c> returns.
/// Send it like any <see cref="TaskRequest"/>, or start a workflow with it:
/// <c>Tasks.Images.Download.Message(url).Then(Tasks.Images.Resize.With(width: 200))</c>.
/// </summary>
/// <typeparam name="TResult">The actor's result type.</typeparam>
public sealed record TaskRequest<TResult> : TaskRequest, IWorkflowStep<TResult>
{
    /// <summary>A request whose result is read with <paramref name="resultTypeInfo"/>; generated builders create these.</summary>
    public TaskRequest(string actor, string queue, ReadOnlyMemory<byte> arguments, SendOptions? options, JsonTypeInfo<TResult> resultTypeInfo)
        : base(actor, queue, arguments, options)
    {
        ArgumentNullException.ThrowIfNull(resultTypeInfo);
        ResultTypeInfo = resultTypeInfo;
    }

    /// <summary>Types an untyped request (for example one built by a <see cref="Generated.TaskMessages"/> helper).</summary>
    public TaskRequest(TaskRequest request, JsonTypeInfo<TResult> resultTypeInfo)
        : base(request ?? throw new ArgumentNullException(nameof(request)))
    {
        ArgumentNullException.ThrowIfNull(resultTypeInfo);
        ResultTypeInfo = resultTypeInfo;
    }

    /// <summary>The source-generated metadata of the result.</summary>
    public JsonTypeInfo<TResult> ResultTypeInfo { get; }

    internal ResultReader<TResult> Result => ResultReader<TResult>.From(ResultTypeInfo);

    /// <summary>This request as a one-step workflow (to add callbacks, or to compose it).</summary>
    public new Workflow<TResult> AsWorkflow() => new(WorkflowNode.FromRequest(this), Result);

    private protected override Workflow AsWorkflowCore() => AsWorkflow();

    /// <summary>Runs <paramref name="next"/> after this task, passing this task's result as its first argument.</summary>
    public Workflow<TNext> Then<TNext>(IWorkflowContinuation<TResult, TNext> next) => AsWorkflow().Then(next);

    /// <summary>Runs <paramref name="next"/> (an actor without a result) after this task, passing this task's result
    /// as its first argument.</summary>
    public Workflow Then(IWorkflowContinuation<TResult> next) => AsWorkflow().Then(next);

    /// <summary>When this task succeeds, also runs <paramref name="callback"/> with its result.</summary>
    public Workflow<TResult> OnSuccess<TCallback>(IWorkflowContinuation<TResult, TCallback> callback) => AsWorkflow().OnSuccess(callback);

    /// <summary>When this task succeeds, also runs <paramref name="callback"/> with its result.</summary>
    public Workflow<TResult> OnSuccess(IWorkflowContinuation<TResult> callback) => AsWorkflow().OnSuccess(callback);

    /// <summary>When this task fails for good, also runs <paramref name="callback"/> with a <see cref="WorkflowFailure"/>.</summary>
    public Workflow<TResult> OnFailure<TCallback>(IWorkflowContinuation<WorkflowFailure, TCallback> callback) => AsWorkflow().OnFailure(callback);

    /// <summary>When this task fails for good, also runs <paramref name="callback"/> with a <see cref="WorkflowFailure"/>.</summary>
    public Workflow<TResult> OnFailure(IWorkflowContinuation<WorkflowFailure> callback) => AsWorkflow().OnFailure(callback);

    /// <summary>When this task succeeds, also runs <paramref name="callback"/> (nothing is passed to it).</summary>
    public Workflow<TResult> OnSuccess(TaskRequest callback) => AsWorkflow().OnSuccess(callback);

    /// <summary>When this task fails for good, also runs <paramref name="callback"/> (nothing is passed to it).</summary>
    public Workflow<TResult> OnFailure(TaskRequest callback) => AsWorkflow().OnFailure(callback);
}
