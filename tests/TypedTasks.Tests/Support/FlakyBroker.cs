using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using TypedTasks.Brokers;

namespace TypedTasks.Tests.Support;

/// <summary>Wraps a broker so that its consumers fail a set number of receives and acks first, like a dropped connection.</summary>
internal sealed class FlakyBroker(ITaskBroker inner, int failingReceives, int failingAcks) : ITaskBroker
{
    private int _receivesToFail = failingReceives;
    private int _acksToFail = failingAcks;

    public ITaskResultStore Results => inner.Results;

    public IDeadLetterStore DeadLetters => inner.DeadLetters;

    public ITaskStatusStore Status => inner.Status;

    public ValueTask<string?> SendAsync(TaskMessage message, CancellationToken cancellationToken = default) => inner.SendAsync(message, cancellationToken);

    public ValueTask<IReadOnlyList<string?>?> SendManyAsync(IReadOnlyList<TaskMessage> messages, CancellationToken cancellationToken = default) => inner.SendManyAsync(messages, cancellationToken);

    public async ValueTask<ITaskConsumer> CreateConsumerAsync(ConsumerOptions options, CancellationToken cancellationToken = default) =>
        new FlakyConsumer(this, await inner.CreateConsumerAsync(options, cancellationToken));

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    private sealed class FlakyConsumer(FlakyBroker owner, ITaskConsumer inner) : ITaskConsumer
    {
        public ValueTask<int> ReceiveAsync(Memory<TaskDelivery> buffer, CancellationToken cancellationToken) =>
            Interlocked.Decrement(ref owner._receivesToFail) >= 0
                ? throw new System.IO.IOException("connection reset (receive)")
                : inner.ReceiveAsync(buffer, cancellationToken);

        public ValueTask AckAsync(TaskDelivery delivery, CancellationToken cancellationToken = default) =>
            Interlocked.Decrement(ref owner._acksToFail) >= 0
                ? throw new System.IO.IOException("connection reset (ack)")
                : inner.AckAsync(delivery, cancellationToken);

        public ValueTask RetryAsync(TaskDelivery delivery, TaskMessage nextAttempt, CancellationToken cancellationToken = default) => inner.RetryAsync(delivery, nextAttempt, cancellationToken);

        public ValueTask DeadLetterAsync(TaskDelivery delivery, TaskError error, CancellationToken cancellationToken = default) => inner.DeadLetterAsync(delivery, error, cancellationToken);

        public ValueTask ReleaseAsync(TaskDelivery delivery, CancellationToken cancellationToken = default) => inner.ReleaseAsync(delivery, cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
