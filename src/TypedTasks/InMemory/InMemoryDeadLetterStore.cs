using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace TypedTasks;

/// <summary>The <see cref="InMemoryBroker"/>'s dead letters, guarded by the broker's gate so that moving a delivery
/// here is atomic with settling it.</summary>
internal sealed class InMemoryDeadLetterStore(InMemoryBroker broker) : IDeadLetterStore
{
    // One list in dead-letter order; per-queue views filter it (dead letters are few, and tests read them whole).
    private readonly List<DeadLetter> _deadLetters = [];

    public ValueTask<IReadOnlyList<DeadLetter>> ListAsync(string queue, int count = 100, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        lock (broker.Gate)
        {
            var result = new List<DeadLetter>(Math.Min(count, _deadLetters.Count));
            foreach (var deadLetter in _deadLetters)
            {
                if (result.Count == count)
                {
                    break;
                }

                if (string.Equals(deadLetter.Queue, queue, StringComparison.Ordinal))
                {
                    result.Add(deadLetter);
                }
            }

            return ValueTask.FromResult<IReadOnlyList<DeadLetter>>(result);
        }
    }

    public ValueTask<bool> RequeueAsync(string queue, string deadLetterId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queue);
        ArgumentNullException.ThrowIfNull(deadLetterId);
        lock (broker.Gate)
        {
            var index = _deadLetters.FindIndex(d => string.Equals(d.Queue, queue, StringComparison.Ordinal) && string.Equals(d.Id, deadLetterId, StringComparison.Ordinal));
            if (index < 0 || _deadLetters[index].Message is not { } message)
            {
                return ValueTask.FromResult(false);
            }

            _deadLetters.RemoveAt(index);

            // The dead-lettered run's failed outcome would otherwise answer a caller waiting on the new run.
            broker.ResultStore.Remove(message.Id);

            // A fresh first attempt: a new enqueue time, or the age limit would expire it again at once.
            broker.EnqueueLocked(message with { Attempt = 1, DueAt = null, EnqueuedAt = broker.TimeProvider.GetUtcNow() });
            return ValueTask.FromResult(true);
        }
    }

    public ValueTask<long> PurgeAsync(string queue, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queue);
        lock (broker.Gate)
        {
            long removed = _deadLetters.RemoveAll(d => string.Equals(d.Queue, queue, StringComparison.Ordinal));
            return ValueTask.FromResult(removed);
        }
    }

    internal void AddLocked(TaskMessage message, TaskError error, DateTimeOffset now) =>
        _deadLetters.Add(new DeadLetter(broker.NextId(), message.Queue, message, RawFields: null, error, now));

    internal List<DeadLetter> SnapshotLocked(string? queue)
    {
        if (queue is null)
        {
            return [.. _deadLetters];
        }

        var result = new List<DeadLetter>();
        foreach (var deadLetter in _deadLetters)
        {
            if (string.Equals(deadLetter.Queue, queue, StringComparison.Ordinal))
            {
                result.Add(deadLetter);
            }
        }

        return result;
    }
}
