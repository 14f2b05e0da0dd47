namespace TypedTasks;

/// <summary>Why a message ended in the dead letters.</summary>
public enum DeadLetterReason
{
    /// <summary>The last retry failed.</summary>
    RetriesExhausted = 0,

    /// <summary>The actor threw an exception that must not be retried.</summary>
    NonRetryable = 1,

    /// <summary>The message exceeded its actor's age limit before it ran.</summary>
    Expired = 2,

    /// <summary>No actor with the message's wire name is registered on this worker.</summary>
    UnknownActor = 3,

    /// <summary>The arguments are not valid JSON or do not fit the actor's parameters.</summary>
    InvalidArguments = 4,

    /// <summary>The broker entry lacks required fields or cannot be decoded.</summary>
    MalformedMessage = 5,

    /// <summary>The payload exceeds the broker's size limit.</summary>
    TooLarge = 6,

    /// <summary>The attempt ran past its time limit on the last retry.</summary>
    TimeLimitExceeded = 7,

    /// <summary>The task was cancelled (<see cref="ITaskClient.CancelAsync"/>) before it finished. Not a dead letter:
    /// the value only appears in a stored <see cref="TaskOutcome"/>'s error.</summary>
    Cancelled = 8,
}
