using System;
using System.Collections.Generic;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using TypedTasks.Brokers;

namespace TypedTasks.Testing;

public static class TestMessages
{
    public static TaskMessage Create(string queue, string argumentsJson = """{"n":1}""", DateTimeOffset? dueAt = null, string actor = "test.actor")
        => new()
        {
            Id = TaskId.NewId(),
            Actor = actor,
            Queue = queue,
            Arguments = Encoding.UTF8.GetBytes(argumentsJson),
            EnqueuedAt = DateTimeOffset.UtcNow,
            DueAt = dueAt,
        };

    public static string Queue() => "q" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>One delivery, or null when none arrives within <paramref name="timeout"/>.</summary>
    public static async Task<TaskDelivery?> ReceiveOneAsync(this ITaskConsumer consumer, TimeSpan timeout)
    {
        var buffer = new TaskDelivery[1];
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            var count = await consumer.ReceiveAsync(buffer, cts.Token);
            return count == 1 ? buffer[0] : null;
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>Receives until <paramref name="count"/> deliveries arrived or the time is up.</summary>
    public static async Task<List<TaskDelivery>> ReceiveManyAsync(this ITaskConsumer consumer, int count, TimeSpan timeout)
    {
        var received = new List<TaskDelivery>();
        var buffer = new TaskDelivery[64];
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (received.Count < count)
            {
                var n = await consumer.ReceiveAsync(buffer, cts.Token);
                received.AddRange(buffer.AsSpan(0, n));
            }
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
        }

        return received;
    }

    public static ConsumerOptions For(params string[] queues) => new() { Queues = queues };

    public static ConsumerOptions Named(string name, params string[] queues) => new() { Queues = queues, ConsumerName = name };
}
