namespace TypedTasks.Brokers;

/// <summary>A message as handed to one consumer.</summary>
public class TaskDelivery
{
    /// <summary>Creates a delivery.</summary>
    public TaskDelivery(TaskMessage message, string deliveryId, int deliveryCount)
    {
        Message = message;
        DeliveryId = deliveryId;
        DeliveryCount = deliveryCount;
    }

    /// <summary>The decoded envelope.</summary>
    public TaskMessage Message { get; }

    /// <summary>The broker's handle for this delivery (for Redis, the stream entry id).</summary>
    public string DeliveryId { get; }

    /// <summary>How many times this entry has been delivered (greater than 1 after a crash recovery or release).</summary>
    public int DeliveryCount { get; }
}
