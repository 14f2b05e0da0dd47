using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using TypedTasks.Brokers;

namespace TypedTasks.Tests.Support;

/// <summary>Wraps a broker and reports each retry and dead letter as it reaches the broker.</summary>
internal sealed class SettlementRecordingBroker(ITaskBroker inner, Action<string> record) : ITaskBroker
{
    public ITaskResultStore Results => inner.Results;

    public IDeadLetterStore DeadLetters => inner.DeadLetters;

    public ITaskStatusStore Status => inner.Status;

    public ValueTask<string?> SendAsync(TaskMessage message, CancellationToken cancellationToken = default) => inner.SendAsync(message, cancellationToken);

    public ValueTask<IReadOnlyList<string?>?> SendManyAsync(IReadOnlyList<TaskMessage> messages, CancellationToken cancellationToken = default) => inner.SendManyAsync(messages, cancellationToken);

    public async ValueTask<ITaskConsumer> CreateConsumerAsync(ConsumerOptions options, CancellationToken cancellationToken = default) =>
        new RecordingConsumer(record, await inner.CreateConsumerAsync(options, cancellationToken));

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    private sealed class RecordingConsumer(Action<string> record, ITaskConsumer inner) : ITaskConsumer
    {
        public ValueTask<int> ReceiveAsync(Memory<TaskDelivery> buffer, CancellationToken cancellationToken) => inner.ReceiveAsync(buffer, cancellationToken);

        public ValueTask AckAsync(TaskDelivery delivery, CancellationToken cancellationToken = default) => inner.AckAsync(delivery, cancellationToken);

        public ValueTask RetryAsync(TaskDelivery delivery, TaskMessage nextAttempt, CancellationToken cancellationToken = default)
        {
            record("retry " + delivery.Message.Actor);
            return inner.RetryAsync(delivery, nextAttempt, cancellationToken);
        }

        public ValueTask DeadLetterAsync(TaskDelivery delivery, TaskError error, CancellationToken cancellationToken = default)
        {
            record("dead-letter " + delivery.Message.Actor);
            return inner.DeadLetterAsync(delivery, error, cancellationToken);
        }

        public ValueTask ReleaseAsync(TaskDelivery delivery, CancellationToken cancellationToken = default) => inner.ReleaseAsync(delivery, cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
