using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using TypedTasks.Brokers;

namespace TypedTasks.LoadTest;

/// <summary>
/// Passes everything to the real broker and reports each acknowledgement once Redis has confirmed it. "Done" in the
/// load test means what BullMQ's <c>completed</c> event means: the task's completion is recorded in Redis (here:
/// acknowledged and its entry deleted), not merely that the actor returned.
/// </summary>
internal sealed class AckCountingBroker(ITaskBroker inner, Action onAcked) : ITaskBroker
{
    public ITaskResultStore Results => inner.Results;

    public IDeadLetterStore DeadLetters => inner.DeadLetters;


    public ITaskStatusStore Status => inner.Status;

    public ValueTask<string?> SendAsync(TaskMessage message, CancellationToken cancellationToken = default) =>
        inner.SendAsync(message, cancellationToken);

    public ValueTask<IReadOnlyList<string?>?> SendManyAsync(IReadOnlyList<TaskMessage> messages, CancellationToken cancellationToken = default) =>
        inner.SendManyAsync(messages, cancellationToken);

    public async ValueTask<ITaskConsumer> CreateConsumerAsync(ConsumerOptions options, CancellationToken cancellationToken = default) =>
        new Consumer(await inner.CreateConsumerAsync(options, cancellationToken).ConfigureAwait(false), onAcked);

    public ValueTask<CancelResult> CancelAsync(string taskId, CancellationToken cancellationToken = default) =>
        inner.CancelAsync(taskId, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    private sealed class Consumer(ITaskConsumer inner, Action onAcked) : ITaskConsumer
    {
        // Forwarded, so the measured worker pays for cancellation support as a real one does.
        public TaskCancellations? Cancellations => inner.Cancellations;

        public ValueTask<int> ReceiveAsync(Memory<TaskDelivery> buffer, CancellationToken cancellationToken) =>
            inner.ReceiveAsync(buffer, cancellationToken);

        public async ValueTask AckAsync(TaskDelivery delivery, CancellationToken cancellationToken = default)
        {
            await inner.AckAsync(delivery, cancellationToken).ConfigureAwait(false);
            onAcked();
        }

        public ValueTask RetryAsync(TaskDelivery delivery, TaskMessage nextAttempt, CancellationToken cancellationToken = default) =>
            inner.RetryAsync(delivery, nextAttempt, cancellationToken);

        public ValueTask DeadLetterAsync(TaskDelivery delivery, TaskError error, CancellationToken cancellationToken = default) =>
            inner.DeadLetterAsync(delivery, error, cancellationToken);

        public ValueTask ReleaseAsync(TaskDelivery delivery, CancellationToken cancellationToken = default) =>
            inner.ReleaseAsync(delivery, cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
