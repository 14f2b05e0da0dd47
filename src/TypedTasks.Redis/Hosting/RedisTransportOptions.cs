using System;

namespace TypedTasks.Redis;

/// <summary>
/// What <c>UseRedis()</c> reads from <c>TypedTasks:Redis</c>: the connection and every data setting of
/// <see cref="RedisBrokerOptions"/>. An unset value keeps the <see cref="RedisBrokerOptions"/> default.
/// </summary>
/// <remarks>
/// <para>
/// Two shapes bind here. <c>TypedTasks:Redis</c> as a string is the connection (<c>"TypedTasks": { "Redis": "localhost:6379" }</c>,
/// <c>TypedTasks__Redis=redis:6379</c>), as it always was; as an object, <c>TypedTasks:Redis:Configuration</c> is the
/// connection and the other keys tune the broker. Environment variables may mix both:
/// <c>TypedTasks__Redis=redis:6379</c> with <c>TypedTasks__Redis__KeyPrefix=orders</c>.
/// </para>
/// <para>
/// <see cref="RedisBrokerOptions"/> is immutable once built (its properties are <c>init</c>-only, which the binder
/// cannot set), hence this mutable twin. ConfigurationBindingTests fails when a data property of
/// <see cref="RedisBrokerOptions"/> has no counterpart here.
/// </para>
/// </remarks>
public sealed class RedisTransportOptions
{
    /// <summary>
    /// A StackExchange.Redis configuration string (<c>host:port,password=…</c>). Setting it configures the Redis broker.
    /// The host starts and keeps reconnecting while Redis is unreachable, unless the string says
    /// <c>abortConnect=true</c>: then a host that cannot connect at start-up fails to start.
    /// </summary>
    public string? Configuration { get; set; }

    /// <inheritdoc cref="RedisBrokerOptions.KeyPrefix"/>
    public string? KeyPrefix { get; set; }

    /// <inheritdoc cref="RedisBrokerOptions.ResultKeyPrefix"/>
    public string? ResultKeyPrefix { get; set; }

    /// <inheritdoc cref="RedisBrokerOptions.ConsumerGroup"/>
    public string? ConsumerGroup { get; set; }

    /// <inheritdoc cref="RedisBrokerOptions.ClaimIdleThreshold"/>
    public TimeSpan? ClaimIdleThreshold { get; set; }

    /// <inheritdoc cref="RedisBrokerOptions.HeartbeatInterval"/>
    public TimeSpan? HeartbeatInterval { get; set; }

    /// <inheritdoc cref="RedisBrokerOptions.PollInterval"/>
    public TimeSpan? PollInterval { get; set; }

    /// <inheritdoc cref="RedisBrokerOptions.MaxPayloadBytes"/>
    public int? MaxPayloadBytes { get; set; }

    /// <inheritdoc cref="RedisBrokerOptions.DeadLetterMaxAge"/>
    public TimeSpan? DeadLetterMaxAge { get; set; }

    /// <inheritdoc cref="RedisBrokerOptions.DeadLetterMaxLength"/>
    public long? DeadLetterMaxLength { get; set; }

    /// <inheritdoc cref="RedisBrokerOptions.PromoteBatchSize"/>
    public int? PromoteBatchSize { get; set; }

    /// <inheritdoc cref="RedisBrokerOptions.CommandRetryTimeout"/>
    public TimeSpan? CommandRetryTimeout { get; set; }

    /// <inheritdoc cref="RedisBrokerOptions.CancellationRetention"/>
    public TimeSpan? CancellationRetention { get; set; }

    /// <summary>The broker options these settings make, with the host's clock and logger.</summary>
    public RedisBrokerOptions ToBrokerOptions(TimeProvider timeProvider, Microsoft.Extensions.Logging.ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        var defaults = new RedisBrokerOptions();
        return new RedisBrokerOptions
        {
            KeyPrefix = string.IsNullOrEmpty(KeyPrefix) ? defaults.KeyPrefix : KeyPrefix,
            ResultKeyPrefix = string.IsNullOrEmpty(ResultKeyPrefix) ? defaults.ResultKeyPrefix : ResultKeyPrefix,
            ConsumerGroup = string.IsNullOrEmpty(ConsumerGroup) ? defaults.ConsumerGroup : ConsumerGroup,
            ClaimIdleThreshold = ClaimIdleThreshold ?? defaults.ClaimIdleThreshold,
            HeartbeatInterval = HeartbeatInterval ?? defaults.HeartbeatInterval,
            PollInterval = PollInterval ?? defaults.PollInterval,
            MaxPayloadBytes = MaxPayloadBytes ?? defaults.MaxPayloadBytes,
            DeadLetterMaxAge = DeadLetterMaxAge ?? defaults.DeadLetterMaxAge,
            DeadLetterMaxLength = DeadLetterMaxLength ?? defaults.DeadLetterMaxLength,
            PromoteBatchSize = PromoteBatchSize ?? defaults.PromoteBatchSize,
            CommandRetryTimeout = CommandRetryTimeout ?? defaults.CommandRetryTimeout,
            CancellationRetention = CancellationRetention ?? defaults.CancellationRetention,
            TimeProvider = timeProvider,
            Logger = logger,
        };
    }
}
