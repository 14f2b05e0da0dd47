using System;
using TypedTasks.Workflows;

namespace TypedTasks;

/// <summary>
/// A task waiting for its first argument, a <typeparamref name="TInput"/>: what <c>Tasks.X.Y.With(...)</c> returns,
/// with every parameter but the first given. <see cref="Workflow{TResult}.Then{TNext}(IWorkflowContinuation{TResult, TNext})"/>
/// feeds it the previous step's result; a step whose input type differs is a compile error.
/// </summary>
/// <typeparam name="TInput">The type of the actor's first parameter.</typeparam>
/// <typeparam name="TResult">The actor's result type.</typeparam>
public sealed class WorkflowStep<TInput, TResult> : IWorkflowContinuation<TInput, TResult>, IWorkflowStepParts
{
    internal WorkflowStep(TaskRequest request, string inputParameter, ResultReader<TResult> result)
    {
        Request = request;
        InputParameter = inputParameter;
        Result = result;
    }

    /// <summary>The actor's wire name.</summary>
    public string Actor => Request.Actor;

    /// <summary>The name of the parameter that receives the input.</summary>
    public string InputParameter { get; }

    internal TaskRequest Request { get; }

    internal ResultReader<TResult> Result { get; }

    TaskRequest IWorkflowStepParts.Request => Request;

    object? IWorkflowStepParts.ReadResult(ReadOnlySpan<byte> json) => Result.Read(json);

    /// <inheritdoc />
    public override string ToString() => $"{Actor}({InputParameter}: {typeof(TInput).Name}) -> {typeof(TResult).Name}";
}

/// <summary>
/// A task of an actor without a result, waiting for its first argument, a <typeparamref name="TInput"/>: what
/// <c>Tasks.X.Y.With(...)</c> returns for such an actor.
/// </summary>
/// <typeparam name="TInput">The type of the actor's first parameter.</typeparam>
public sealed class WorkflowStep<TInput> : IWorkflowContinuation<TInput>, IWorkflowStepParts
{
    internal WorkflowStep(TaskRequest request, string inputParameter)
    {
        Request = request;
        InputParameter = inputParameter;
    }

    /// <summary>The actor's wire name.</summary>
    public string Actor => Request.Actor;

    /// <summary>The name of the parameter that receives the input.</summary>
    public string InputParameter { get; }

    internal TaskRequest Request { get; }

    TaskRequest IWorkflowStepParts.Request => Request;

    object? IWorkflowStepParts.ReadResult(ReadOnlySpan<byte> json) => null;

    /// <inheritdoc />
    public override string ToString() => $"{Actor}({InputParameter}: {typeof(TInput).Name})";
}

/// <summary>
/// A step that takes a <typeparamref name="TInput"/> as its first argument and returns a <typeparamref name="TResult"/>:
/// what <c>Then</c>, <c>OnSuccess</c> and <c>OnFailure</c> take. Contravariant in its input, so a step whose first
/// parameter is <c>string?</c>, a base type or an interface (<c>IReadOnlyList&lt;int&gt;</c> after a group of
/// <c>int</c>) accepts a result of the derived type; a type that does not fit is a compile error (CS1503) naming both
/// types. Implemented by <see cref="WorkflowStep{TInput, TResult}"/> (<c>Tasks.X.Y.With(...)</c>) only.
/// </summary>
/// <typeparam name="TInput">The type of the first parameter.</typeparam>
/// <typeparam name="TResult">The result type.</typeparam>
public interface IWorkflowContinuation<in TInput, out TResult>
{
    /// <summary>The actor's wire name.</summary>
    string Actor { get; }

    /// <summary>The name of the parameter that receives the input.</summary>
    string InputParameter { get; }
}

/// <summary>Like <see cref="IWorkflowContinuation{TInput, TResult}"/> for an actor without a result
/// (<see cref="WorkflowStep{TInput}"/>).</summary>
/// <typeparam name="TInput">The type of the first parameter.</typeparam>
public interface IWorkflowContinuation<in TInput>
{
    /// <summary>The actor's wire name.</summary>
    string Actor { get; }

    /// <summary>The name of the parameter that receives the input.</summary>
    string InputParameter { get; }
}

/// <summary>What the composition methods read from a continuation, whatever its type arguments.</summary>
internal interface IWorkflowStepParts
{
    TaskRequest Request { get; }

    string InputParameter { get; }

    object? ReadResult(ReadOnlySpan<byte> json);

    public static IWorkflowStepParts Of(object step, string paramName) =>
        step as IWorkflowStepParts ?? throw new ArgumentException(
            $"{step?.GetType().Name ?? "null"} is not a step built by a generated Tasks.X.Y.With(...) builder.", paramName);
}

/// <summary>Reads a continuation's result through its own reader (its result type may be derived from the one asked).</summary>
internal sealed class PartsReader<T>(IWorkflowStepParts parts) : ResultReader<T>
{
    public override T Read(ReadOnlySpan<byte> json) => (T)parts.ReadResult(json)!;
}

/// <summary>
/// One argument of a workflow step built with <c>Tasks.X.Y.Step(...)</c>: a value, or another step whose result is
/// passed in (a <see cref="TaskRequest{TResult}"/> or a <see cref="Workflow{TResult}"/>). Converts implicitly from
/// all three, so a step reads like a call: <c>Tasks.Reports.Build.Step(prices, stock, title: "Q3")</c>.
/// </summary>
/// <typeparam name="T">The parameter's type.</typeparam>
public readonly struct WorkflowArg<T>
{
    private readonly T _value;

    private WorkflowArg(T value, Workflow? source, bool specified)
    {
        _value = value;
        Source = source;
        IsSpecified = specified;
    }

    /// <summary>The step whose result is passed in, or <see langword="null"/> for a value.</summary>
    public Workflow? Source { get; }

    /// <summary>Whether a value or a source was given (<see langword="false"/> for <see langword="default"/>, which
    /// stands for the parameter's default value).</summary>
    public bool IsSpecified { get; }

    /// <summary>The value (meaningless when <see cref="Source"/> is set).</summary>
    public T Value => _value;

    /// <summary>A value.</summary>
    public static implicit operator WorkflowArg<T>(T value) => new(value, null, specified: true);

    /// <summary>The result of <paramref name="source"/>.</summary>
    public static implicit operator WorkflowArg<T>(Workflow<T> source) =>
        new(default!, source ?? throw new ArgumentNullException(nameof(source)), specified: true);

    /// <summary>The result of <paramref name="source"/>.</summary>
    public static implicit operator WorkflowArg<T>(TaskRequest<T> source) =>
        new(default!, (source ?? throw new ArgumentNullException(nameof(source))).AsWorkflow(), specified: true);

    /// <summary>A value (for languages without implicit conversions).</summary>
    public static WorkflowArg<T> FromValue(T value) => value;

    /// <summary>The result of <paramref name="source"/> (for languages without implicit conversions).</summary>
    public static WorkflowArg<T> FromStep(Workflow<T> source) => source;
}
