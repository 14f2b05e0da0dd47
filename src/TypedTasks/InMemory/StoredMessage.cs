namespace TypedTasks;

/// <summary>A message held by the <see cref="InMemoryBroker"/>: its envelope, its entry id (the delivery id every
/// consumer sees, like a stream entry id) and how often it was handed out.</summary>
internal sealed class StoredMessage(TaskMessage message, string entryId)
{
    public TaskMessage Message { get; } = message;

    public string EntryId { get; } = entryId;

    public int DeliveryCount { get; set; }
}
