using System;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;
using TypedTasks.Generated;

namespace TypedTasks.Tests.Support;

/// <summary>A hand-written descriptor built from a lambda, standing in for what the generator emits.</summary>
internal sealed class TestActor : ActorDescriptor
{
    private readonly Func<ActorInvocation, ValueTask> _invoke;
    private readonly Func<Exception, bool>? _shouldRetry;
    private int _invocations;

    public TestActor(
        string name,
        Func<ActorInvocation, ValueTask> invoke,
        ActorOptions? options = null,
        string queue = TaskMessage.DefaultQueue,
        bool hasResult = false,
        Func<Exception, bool>? shouldRetry = null)
        : base(name, queue, options ?? ActorOptions.Default)
    {
        _invoke = invoke;
        _shouldRetry = shouldRetry;
        HasResult = hasResult;
    }

    public override bool HasResult { get; }

    /// <summary>Stands in for the type of a generated instance actor (<see langword="null"/> = a static actor).</summary>
    public Type? Instance { get; init; }

    /// <summary>Stands in for the required constructor services of a generated instance actor.</summary>
    public Type[] Needs { get; init; } = [];

    public override Type? InstanceType => Instance;

    public override System.Collections.Generic.IReadOnlyList<Type> Dependencies => Needs;

    /// <summary>How many times the worker invoked this actor.</summary>
    public int Invocations => Volatile.Read(ref _invocations);

    public override ValueTask InvokeAsync(ActorInvocation invocation)
    {
        Interlocked.Increment(ref _invocations);
        return _invoke(invocation);
    }

    public override bool ShouldRetry(Exception exception) => _shouldRetry?.Invoke(exception) ?? true;

    /// <summary>An actor that does nothing.</summary>
    public static TestActor Noop(string name, ActorOptions? options = null, string queue = TaskMessage.DefaultQueue) =>
        new(name, static _ => ValueTask.CompletedTask, options, queue);

    /// <summary>An actor that always throws what <paramref name="failure"/> makes.</summary>
    public static TestActor Failing(string name, Func<Exception> failure, ActorOptions? options = null, Func<Exception, bool>? shouldRetry = null) =>
        new(name, _ => throw failure(), options, shouldRetry: shouldRetry);

    /// <summary>An actor that reads its JSON arguments and returns a value written as JSON.</summary>
    public static TestActor Returning<T>(string name, Func<JsonElement, T> body, JsonTypeInfo<T> resultType, ActorOptions? options = null) =>
        new(
            name,
            invocation =>
            {
                T value;
                using (var arguments = JsonDocument.Parse(invocation.Arguments))
                {
                    value = body(arguments.RootElement);
                }

                using var writer = new Utf8JsonWriter(invocation.Result);
                JsonSerializer.Serialize(writer, value, resultType);
                return ValueTask.CompletedTask;
            },
            options,
            hasResult: true);
}
