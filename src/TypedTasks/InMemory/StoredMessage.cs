using System;

namespace TypedTasks;

/// <summary>A message held by the <see cref="InMemoryBroker"/>: its envelope, its entry id (the delivery id every
/// consumer sees, like a stream entry id) and how often it was handed out.</summary>
internal sealed class StoredMessage(TaskMessage message, string entryId)
{
    public TaskMessage Message { get; } = message;

    public string EntryId { get; } = entryId;

    public int DeliveryCount { get; set; }

    /// <summary>When it was last put back among the ready messages (released, or returned by a closed consumer);
    /// <see langword="null"/> when it became ready by being sent or by coming due.</summary>
    public DateTimeOffset? ReadyAgainAt { get; set; }

    /// <summary>Since when it has been ready to run: see <see cref="ReadyAgainAt"/>, else its due time, else its
    /// enqueue time (monitoring only, so nothing is stamped on the send path).</summary>
    public DateTimeOffset ReadySince => ReadyAgainAt ?? Message.DueAt ?? Message.EnqueuedAt;
}
