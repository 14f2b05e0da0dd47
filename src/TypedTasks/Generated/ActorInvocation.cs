using System.Buffers;
using System.ComponentModel;
using System.Threading;
using System;

namespace TypedTasks.Generated;

/// <summary>What a generated invoker needs to run one message.</summary>
/// <param name="Arguments">The message's argument bytes: a UTF-8 JSON object keyed by parameter name.</param>
/// <param name="Services">The message's DI scope (instance actors are resolved from it); may be <see langword="null"/> for static actors.</param>
/// <param name="Result">Where the actor's result is written as UTF-8 JSON, when it has one.</param>
/// <param name="CancellationToken">Cancelled when the time limit elapses or the worker shuts down.</param>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly record struct ActorInvocation(
    ReadOnlyMemory<byte> Arguments,
    IServiceProvider? Services,
    IBufferWriter<byte> Result,
    CancellationToken CancellationToken)
{
    /// <summary>The attempt's progress reporter, for actors whose descriptor says <see cref="ActorDescriptor.ReportsProgress"/>;
    /// <see langword="null"/> otherwise (generated code then passes <see cref="TaskProgress.None"/>).</summary>
    public TaskProgress? Progress { get; init; }
}
