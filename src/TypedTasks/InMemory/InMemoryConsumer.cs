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
    private readonly InMemoryState _state;
    private readonly string[] _queues;
    private readonly Dictionary<string, StoredMessage> _pending = new(StringComparer.Ordinal);
    private bool _closed;

    public InMemoryConsumer(InMemoryState state, string[] queues, string name, Func<int>? runningCount)
    {
        _state = state;
        _queues = queues;
        Name = name;
        RunningCount = runningCount;
        StartedAt = state.TimeProvider.GetUtcNow();
    }

    public string Name { get; }

    public TaskCancellations Cancellations => _state.Cancellations;

    /// <summary>The queues it reads (monitoring).</summary>
    public string[] Queues => _queues;

    /// <summary>When it was opened (monitoring).</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>The worker's running count, when a worker owns this consumer (monitoring).</summary>
    public Func<int>? RunningCount { get; }

    /// <summary>Deliveries it holds; call under the state's gate.</summary>
    public int PendingCountLocked => _pending.Count;

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
            lock (_state.Gate)
            {
                ObjectDisposedException.ThrowIf(_closed || _state.IsDisposedLocked, this);
                var taken = _state.TakeReadyLocked(_queues, buffer.Span, _pending);
                if (taken > 0)
                {
                    return taken;
                }

                // Taken under the gate: a message enqueued after the check above pulses this very task.
                messagesReady = _state.MessagesReady;
            }

            await messagesReady.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public ValueTask AckAsync(TaskDelivery delivery, CancellationToken cancellationToken = default)
    {
        lock (_state.Gate)
        {
            var stored = TakePendingLocked(delivery);
            _state.ReleaseUniqueKeyLocked(stored.Message);
            _state.SettledLocked(stored);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask RetryAsync(TaskDelivery delivery, TaskMessage nextAttempt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(nextAttempt);
        lock (_state.Gate)
        {
            var stored = TakePendingLocked(delivery);
            _state.EnqueueLocked(nextAttempt);
            _state.SettledLocked(stored);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask DeadLetterAsync(TaskDelivery delivery, TaskError error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(error);
        lock (_state.Gate)
        {
            var stored = TakePendingLocked(delivery);
            _state.AddDeadLetterLocked(stored.Message, error);
            _state.ReleaseUniqueKeyLocked(stored.Message);
            _state.SettledLocked(stored);
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask ReleaseAsync(TaskDelivery delivery, CancellationToken cancellationToken = default)
    {
        lock (_state.Gate)
        {
            _state.ReleaseLocked(TakePendingLocked(delivery));
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Hands every delivery still held back to its queue, as a crashed worker's would be recovered.</summary>
    public ValueTask DisposeAsync()
    {
        lock (_state.Gate)
        {
            if (_closed)
            {
                return ValueTask.CompletedTask;
            }

            _closed = true;
            _state.RemoveConsumerLocked(this);
            foreach (var stored in _pending.Values)
            {
                _state.ReturnToFrontLocked(stored);
            }

            _pending.Clear();
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
