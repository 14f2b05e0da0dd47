using System;
using System.Buffers;
using System.Threading;
using TypedTasks.Brokers;
using TypedTasks.Generated;

namespace TypedTasks;

/// <summary>One attempt of one message on a worker.</summary>
public sealed class TaskContext
{
    /// <summary>Creates the context.</summary>
    public TaskContext(TaskDelivery delivery, ActorDescriptor actor, IServiceProvider? services, CancellationToken cancellationToken)
    {
        Delivery = delivery;
        Actor = actor;
        Services = services;
        CancellationToken = cancellationToken;
    }

    /// <summary>The delivery being processed.</summary>
    public TaskDelivery Delivery { get; }

    /// <summary>The envelope.</summary>
    public TaskMessage Message => Delivery.Message;

    /// <summary>The actor that runs it.</summary>
    public ActorDescriptor Actor { get; }

    /// <summary>The per-message DI scope, when the worker has a service provider.</summary>
    public IServiceProvider? Services { get; }

    /// <summary>Cancelled on time limit, on shutdown, or when the task is cancelled (<see cref="ITaskClient.CancelAsync"/>):
    /// the token the actor receives.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>Where the innermost step of the worker's pipeline writes the actor's result. Lives here so that the
    /// pipeline can be built once per worker instead of a closure per message.</summary>
    internal IBufferWriter<byte>? ResultWriter { get; init; }

    /// <summary>The attempt's progress reporter, for actors that take one.</summary>
    internal TaskProgress? Progress { get; init; }
}
