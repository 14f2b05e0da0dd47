using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using TypedTasks;
using TypedTasks.Brokers;

namespace TypedTasks.Hosting.TestHost;

/// <summary>An in-memory broker whose consumers cannot be created: a worker failure that no retry can cure.</summary>
internal sealed class BrokenBroker : ITaskBroker
{
    private readonly InMemoryBroker _inner = new();

    public ITaskResultStore Results => _inner.Results;

    public IDeadLetterStore DeadLetters => _inner.DeadLetters;


    public ITaskStatusStore Status => _inner.Status;

    public ValueTask<string?> SendAsync(TaskMessage message, CancellationToken cancellationToken = default) => _inner.SendAsync(message, cancellationToken);

    public ValueTask<IReadOnlyList<string?>?> SendManyAsync(IReadOnlyList<TaskMessage> messages, CancellationToken cancellationToken = default) => _inner.SendManyAsync(messages, cancellationToken);

    public ValueTask<ITaskConsumer> CreateConsumerAsync(ConsumerOptions options, CancellationToken cancellationToken = default)
        => throw new InvalidOperationException("This broker is broken on purpose: no consumer can be created.");

    public ValueTask DisposeAsync() => _inner.DisposeAsync();
}
