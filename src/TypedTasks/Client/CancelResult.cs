namespace TypedTasks;

/// <summary>What <see cref="ITaskClient.CancelAsync"/> did.</summary>
public enum CancelResult
{
    /// <summary>
    /// The task had no final outcome: it is cancelled now. It never starts if it is queued or scheduled (a pending
    /// retry included); if it is running, its cancellation token fires on its worker within about a second. Its
    /// outcome is <see cref="DeadLetterReason.Cancelled"/> from now on. The broker keeps no record of queued tasks by id,
    /// so an id that was never sent (or whose outcome expired) is answered this way too.
    /// </summary>
    Cancelled = 0,

    /// <summary>The task was cancelled before; nothing changed.</summary>
    AlreadyCancelled = 1,

    /// <summary>The task had finished (succeeded, failed or was dead-lettered) and its outcome is stored; nothing changed.</summary>
    AlreadyFinished = 2,
}
