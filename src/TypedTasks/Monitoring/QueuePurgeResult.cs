namespace TypedTasks.Monitoring;

/// <summary>What <see cref="ITaskMonitor.PurgeQueueAsync"/> removed.</summary>
public sealed record QueuePurgeResult
{
    /// <summary>Waiting messages removed.</summary>
    public required long Waiting { get; init; }

    /// <summary>Scheduled (due-later) messages removed.</summary>
    public required long Scheduled { get; init; }
}
