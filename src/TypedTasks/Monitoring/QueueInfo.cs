using System;

namespace TypedTasks.Monitoring;

/// <summary>One queue's counts at one moment (<see cref="ITaskMonitor.GetQueueAsync"/>).</summary>
public sealed record QueueInfo
{
    /// <summary>The queue's name.</summary>
    public required string Name { get; init; }

    /// <summary>Messages ready to run that no worker has taken yet.</summary>
    public required long Waiting { get; init; }

    /// <summary>Messages held until a later time (delayed sends and retries waiting out their backoff), including the
    /// ones already due that no worker has moved to the queue yet (<see cref="ScheduledDue"/>).</summary>
    public required long Scheduled { get; init; }

    /// <summary>Of <see cref="Scheduled"/>, how many are already due: a worker of the queue moves them over on its next
    /// pass (within <c>PollInterval</c> on Redis). A large number with no workers means nobody consumes the queue.</summary>
    public required long ScheduledDue { get; init; }

    /// <summary>Deliveries handed to workers and not yet settled (running, prefetched, or held by a worker that
    /// crashed and is not yet recovered).</summary>
    public required long InFlight { get; init; }

    /// <summary>Dead letters of the queue.</summary>
    public required long DeadLetters { get; init; }

    /// <summary>Live consumers of the queue (on Redis: those whose heartbeat is more recent than
    /// <c>ClaimIdleThreshold</c>; in memory: the open ones).</summary>
    public required int Consumers { get; init; }

    /// <summary>How long the oldest waiting message has been ready to run; <see langword="null"/> when none waits.</summary>
    public TimeSpan? OldestWaitingAge { get; init; }

    /// <summary>When the numbers were read, on the monitor's clock.</summary>
    public required DateTimeOffset CapturedAt { get; init; }
}
