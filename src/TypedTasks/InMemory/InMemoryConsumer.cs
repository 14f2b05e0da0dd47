using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using TypedTasks.Brokers;

namespace TypedTasks;

/// <summary>One consumer of an <see cref="InMemoryBroker"/>; tracks the deliveries it holds until they are settled.</summary>
/// <remarks>Settling a delivery this consumer does not hold (twice, or another consumer's) throws: in tests that
/// is a worker bug worth seeing, where a real broker could only ignore it.</remarks>
internal sealed class InMemoryConsumer : ITaskConsumer
{
    private readonly InMemoryBroker _broker;
    private readonly string[] _queues;
    private readonly Dictionary<string, StoredMessage> _pending = new(StringComparer.Ordinal);
    private bool _closed;

    public InMemoryConsumer(InMemoryBroker broker, string[] queues, string name)
    {
        _broker = broker;
        _queues = queues;
        Name = name;
    }

    public string Name { get; }

    public async ValueTask<int> ReceiveAsync(Memory<TaskDelivery> buffer, CancellationToken cancellationToken)
    {
        if (buffer.IsEmpty)
        {
            throw new ArgumentException("The buffer must hold at least one delivery.", nameof(buffer));
        }

        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Task messagesReady;
            lock (_broker.Gate)
            {
                ObjectDisposedException.ThrowIf(_closed || _broker.IsDisposed, this);
                var taken = _broker.TakeReadyLocked(_queues, buffer.Span, _pending);
                if (taken > 0)
                {
                    return taken;
                }

                // Taken under the gate: a message enqueued after the check above pulses this very task.
                messagesReady = _broker.MessagesReadySignal;
            }

            await messagesReady.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public ValueTask AckAsync(TaskDelivery delivery, CancellationToken cancellationToken = default)
    {
        lock (_broker.Gate)
        {
            _broker.SettledLocked(TakePendingLocked(delivery));
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask RetryAsync(TaskDelivery delivery, TaskMessage nextAttempt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(nextAttempt);
        lock (_broker.Gate)
        {
            var stored = TakePendingLocked(delivery);
            _broker.EnqueueLocked(nextAttempt);
            _broker.SettledLocked(stored);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask DeadLetterAsync(TaskDelivery delivery, TaskError error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(error);
        lock (_broker.Gate)
        {
            var stored = TakePendingLocked(delivery);
            _broker.AddDeadLetterLocked(stored.Message, error);
            _broker.SettledLocked(stored);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask ReleaseAsync(TaskDelivery delivery, CancellationToken cancellationToken = default)
    {
        lock (_broker.Gate)
        {
            _broker.ReturnToFrontLocked(TakePendingLocked(delivery));
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Hands every delivery still held back to its queue, as a crashed worker's would be recovered.</summary>
    public ValueTask DisposeAsync()
    {
        lock (_broker.Gate)
        {
            if (_closed)
            {
                return ValueTask.CompletedTask;
            }

            _closed = true;
            foreach (var stored in _pending.Values)
            {
                _broker.ReturnToFrontLocked(stored);
            }

            _pending.Clear();
            _broker.ConsumerClosedLocked(this);
        }

        return ValueTask.CompletedTask;
    }

    private StoredMessage TakePendingLocked(TaskDelivery delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        ObjectDisposedException.ThrowIf(_closed, this);
        if (!_pending.Remove(delivery.DeliveryId, out var stored))
        {
            throw new InvalidOperationException(
                $"Delivery '{delivery.DeliveryId}' (task '{delivery.Message.Id}') is not pending on consumer '{Name}': it was already settled or belongs to another consumer.");
        }

        return stored;
    }

    public override string ToString() => Name;
}
