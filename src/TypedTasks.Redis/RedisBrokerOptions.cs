using System;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace TypedTasks.Redis;

/// <summary>Tunes the Redis broker. Every default is production-safe; tests shorten the timings.</summary>
public sealed class RedisBrokerOptions
{
    /// <summary>Prefix of every key; the keys of queue <c>q</c> live under the hash tag <c>{prefix:q}</c>.</summary>
    public string KeyPrefix { get; init; } = "tt";

    /// <summary>Prefix of result keys (default: <c>"{KeyPrefix}:result:"</c>); the key is the prefix plus <c>{taskId}</c>.</summary>
    public string? ResultKeyPrefix { get; init; }

    /// <summary>The consumer group every worker of a queue joins.</summary>
    public string ConsumerGroup { get; init; } = "workers";

    /// <summary>
    /// A delivery whose consumer has not refreshed it for this long is taken over by a live consumer (crash recovery).
    /// Live consumers refresh their deliveries every <see cref="HeartbeatInterval"/>, so only dead ones hit this.
    /// </summary>
    public TimeSpan ClaimIdleThreshold { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often a consumer refreshes its claims and its registry entry, and scans for abandoned deliveries.
    /// Must be at most half of <see cref="ClaimIdleThreshold"/>.
    /// </summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The longest an idle consumer waits without a wake-up notification before it looks at its queues again
    /// (a safety net for notifications lost during a reconnect).
    /// </summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Entries larger than this (sum of field names and values) are dead-lettered as
    /// <see cref="DeadLetterReason.TooLarge"/>; sending one throws.</summary>
    public int MaxPayloadBytes { get; init; } = 1024 * 1024;

    /// <summary>Dead letters older than this are trimmed.</summary>
    public TimeSpan DeadLetterMaxAge { get; init; } = TimeSpan.FromDays(7);

    /// <summary>At most this many dead letters are kept per queue (oldest trimmed first).</summary>
    public long DeadLetterMaxLength { get; init; } = 10_000;

    /// <summary>How many due-later messages one promotion step moves to the stream.</summary>
    public int PromoteBatchSize { get; init; } = 100;

    /// <summary>
    /// How long acknowledgements, retries, dead-lettering and releases keep retrying through a dropped connection
    /// before they give up (the delivery is then recovered by crash recovery instead).
    /// </summary>
    public TimeSpan CommandRetryTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a cancellation is remembered (<see cref="TypedTasks.Brokers.TaskCancellations.DefaultRetention"/>, seven
    /// days): the cancelled outcome's time to live and how long workers keep skipping the task. A task still waiting
    /// (scheduled further ahead than this, for example) when its cancellation is forgotten runs after all.
    /// </summary>
    public TimeSpan CancellationRetention { get; init; } = TypedTasks.Brokers.TaskCancellations.DefaultRetention;

    /// <summary>The clock used for due times, heartbeats and dead-letter ages.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Where background failures (heartbeats, recovery, reconnects) are reported.</summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(KeyPrefix);
        ArgumentException.ThrowIfNullOrEmpty(ConsumerGroup);
        ArgumentNullException.ThrowIfNull(TimeProvider);
        ArgumentNullException.ThrowIfNull(Logger);
        if (ClaimIdleThreshold <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ClaimIdleThreshold), ClaimIdleThreshold, "Must be positive.");
        }

        if (HeartbeatInterval <= TimeSpan.Zero || HeartbeatInterval * 2 > ClaimIdleThreshold)
        {
            throw new ArgumentOutOfRangeException(
                nameof(HeartbeatInterval),
                HeartbeatInterval,
                "Must be positive and at most half of ClaimIdleThreshold, or live consumers would lose their deliveries.");
        }

        if (CancellationRetention <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(CancellationRetention), CancellationRetention, "Must be positive.");
        }

        if (PollInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(PollInterval), PollInterval, "Must be positive.");
        }

        if (MaxPayloadBytes <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxPayloadBytes), MaxPayloadBytes, "Must be positive.");
        }

        if (DeadLetterMaxAge <= TimeSpan.Zero || DeadLetterMaxLength <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(DeadLetterMaxAge), "Dead-letter bounds must be positive.");
        }

        if (PromoteBatchSize <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(PromoteBatchSize), PromoteBatchSize, "Must be positive.");
        }
    }
}
