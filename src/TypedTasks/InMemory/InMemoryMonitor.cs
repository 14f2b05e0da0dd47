using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using TypedTasks.Monitoring;

namespace TypedTasks;

/// <summary>The <see cref="InMemoryBroker"/>'s monitoring view: a view on <see cref="InMemoryState"/>, so each call
/// reads under the state's single lock (a list of queues is one consistent picture here, unlike on Redis).</summary>
internal sealed class InMemoryMonitor(InMemoryState state, IDeadLetterStore deadLetters) : ITaskMonitor
{
    public IDeadLetterStore DeadLetters => deadLetters;

    public ValueTask<IReadOnlyList<string>> GetQueueNamesAsync(CancellationToken cancellationToken = default)
    {
        lock (state.Gate)
        {
            return ValueTask.FromResult<IReadOnlyList<string>>(state.QueueNamesLocked());
        }
    }

    public ValueTask<QueueInfo?> GetQueueAsync(string queue, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        lock (state.Gate)
        {
            return ValueTask.FromResult(state.IsKnownQueueLocked(queue) ? state.QueueInfoLocked(queue) : null);
        }
    }

    public ValueTask<IReadOnlyList<QueueInfo>> GetQueuesAsync(CancellationToken cancellationToken = default)
    {
        lock (state.Gate)
        {
            var names = state.QueueNamesLocked();
            var queues = new QueueInfo[names.Count];
            for (var i = 0; i < queues.Length; i++)
            {
                queues[i] = state.QueueInfoLocked(names[i]);
            }

            return ValueTask.FromResult<IReadOnlyList<QueueInfo>>(queues);
        }
    }

    public ValueTask<IReadOnlyList<WorkerInfo>> GetWorkersAsync(CancellationToken cancellationToken = default)
    {
        List<(InMemoryConsumer Consumer, int Held)> consumers;
        DateTimeOffset now;
        lock (state.Gate)
        {
            now = state.TimeProvider.GetUtcNow();
            consumers = [];
            foreach (var consumer in state.ConsumersLocked())
            {
                consumers.Add((consumer, consumer.PendingCountLocked));
            }
        }

        // The worker's callback runs outside the lock: it is the worker's code, not the broker's.
        var workers = new List<WorkerInfo>(consumers.Count);
        foreach (var (consumer, held) in consumers)
        {
            workers.Add(new WorkerInfo
            {
                Name = consumer.Name,
                Host = Environment.MachineName,
                ProcessId = Environment.ProcessId,
                Queues = consumer.Queues,
                StartedAt = consumer.StartedAt,
                LastHeartbeat = now,
                Running = consumer.RunningCount?.Invoke() ?? held,
            });
        }

        workers.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        return ValueTask.FromResult<IReadOnlyList<WorkerInfo>>(workers);
    }

    public ValueTask<QueuePurgeResult> PurgeQueueAsync(string queue, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        lock (state.Gate)
        {
            state.ThrowIfDisposedLocked(this);
            return ValueTask.FromResult(state.PurgeQueueLocked(queue));
        }
    }

    public ValueTask<TimeSpan> PingAsync(CancellationToken cancellationToken = default)
    {
        lock (state.Gate)
        {
            state.ThrowIfDisposedLocked(this);
        }

        return ValueTask.FromResult(TimeSpan.Zero);
    }
}
