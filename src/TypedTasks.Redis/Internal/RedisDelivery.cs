using TypedTasks.Brokers;

namespace TypedTasks.Redis.Internal;

/// <summary>A delivery that remembers its queue's state, so finishing it needs no lookup.</summary>
internal sealed class RedisDelivery : TaskDelivery
{
    public RedisDelivery(TaskMessage message, string entryId, int deliveryCount, QueueState queue)
        : base(message, entryId, deliveryCount)
    {
        Queue = queue;
    }

    public QueueState Queue { get; }
}
