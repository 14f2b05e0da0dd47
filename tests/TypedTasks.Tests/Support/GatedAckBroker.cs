using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using TypedTasks.Brokers;

namespace TypedTasks.Tests.Support;

/// <summary>Wraps a broker so that acks reach it only once the test opens a gate, like a slow Redis round trip.</summary>
internal sealed class GatedAckBroker(ITaskBroker inner) : ITaskBroker
{
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _acksStarted;
    private int _acksCompleted;
    private int _acksCompletedWhenDisposed = -1;

    public int AcksStarted => Volatile.Read(ref _acksStarted);

    public int AcksCompleted => Volatile.Read(ref _acksCompleted);

    /// <summary>How many acks had completed when the consumer was disposed; -1 while it is not.</summary>
    public int AcksCompletedWhenDisposed => Volatile.Read(ref _acksCompletedWhenDisposed);

    public ITaskResultStore Results => inner.Results;

    public IDeadLetterStore DeadLetters => inner.DeadLetters;


    public ITaskStatusStore Status => inner.Status;

    public void OpenGate() => _gate.TrySetResult();

    public ValueTask<string?> SendAsync(TaskMessage message, CancellationToken cancellationToken = default) => inner.SendAsync(message, cancellationToken);

    public ValueTask<IReadOnlyList<string?>?> SendManyAsync(IReadOnlyList<TaskMessage> messages, CancellationToken cancellationToken = default) => inner.SendManyAsync(messages, cancellationToken);

    public async ValueTask<ITaskConsumer> CreateConsumerAsync(ConsumerOptions options, CancellationToken cancellationToken = default) =>
        new GatedConsumer(this, await inner.CreateConsumerAsync(options, cancellationToken));

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    private sealed class GatedConsumer(GatedAckBroker owner, ITaskConsumer inner) : ITaskConsumer
    {
        public ValueTask<int> ReceiveAsync(Memory<TaskDelivery> buffer, CancellationToken cancellationToken) => inner.ReceiveAsync(buffer, cancellationToken);

        public async ValueTask AckAsync(TaskDelivery delivery, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref owner._acksStarted);
            await owner._gate.Task;
            await inner.AckAsync(delivery, cancellationToken);
            Interlocked.Increment(ref owner._acksCompleted);
        }

        public ValueTask RetryAsync(TaskDelivery delivery, TaskMessage nextAttempt, CancellationToken cancellationToken = default) => inner.RetryAsync(delivery, nextAttempt, cancellationToken);

        public ValueTask DeadLetterAsync(TaskDelivery delivery, TaskError error, CancellationToken cancellationToken = default) => inner.DeadLetterAsync(delivery, error, cancellationToken);

        public ValueTask ReleaseAsync(TaskDelivery delivery, CancellationToken cancellationToken = default) => inner.ReleaseAsync(delivery, cancellationToken);

        public ValueTask DisposeAsync()
        {
            Interlocked.CompareExchange(ref owner._acksCompletedWhenDisposed, owner.AcksCompleted, -1);
            return inner.DisposeAsync();
        }
    }
}
