using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using StackExchange.Redis;
using TypedTasks.Redis.Internal;

namespace TypedTasks.Redis;

/// <summary>
/// The Redis Streams broker: at-least-once delivery with crash recovery, delayed messages, atomic retries,
/// dead letters and results, on a single Redis, Sentinel or Redis Cluster. The key layout and every script are
/// described in docs/redis.md.
/// </summary>
public sealed class RedisBroker : ITaskBroker
{
    private readonly IConnectionMultiplexer _connection;
    private readonly bool _ownsConnection;
    private readonly IDatabase _db;
    private readonly Keyspace _keys;
    private readonly RedisBrokerOptions _options;

    /// <summary>Uses an existing connection (which the caller keeps owning).</summary>
    public RedisBroker(IConnectionMultiplexer connection, RedisBrokerOptions? options = null)
        : this(connection, options, ownsConnection: false)
    {
    }

    private RedisBroker(IConnectionMultiplexer connection, RedisBrokerOptions? options, bool ownsConnection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _options = options ?? new RedisBrokerOptions();
        _options.Validate();
        _connection = connection;
        _ownsConnection = ownsConnection;
        _db = connection.GetDatabase();
        _keys = new Keyspace(_options.KeyPrefix, _options.ResultKeyPrefix);
        Results = new RedisResultStore(_db, connection.GetSubscriber(), _keys, _options);
        DeadLetters = new RedisDeadLetterStore(_db, _keys, _options);
    }

    /// <summary>The connection the broker uses.</summary>
    public IConnectionMultiplexer Connection => _connection;

    /// <summary>The options in effect.</summary>
    public RedisBrokerOptions Options => _options;

    /// <inheritdoc />
    public ITaskResultStore Results { get; }

    /// <inheritdoc />
    public IDeadLetterStore DeadLetters { get; }

    /// <summary>
    /// Connects with a StackExchange.Redis configuration string (<c>host:port,password=…,user=…,ssl=true,
    /// serviceName=…</c> for Sentinel, several endpoints for Cluster). Unless the string says otherwise
    /// (<c>abortConnect=</c>), the connection keeps retrying in the background when Redis is not reachable yet.
    /// The broker owns and disposes this connection.
    /// </summary>
    public static async Task<RedisBroker> ConnectAsync(string configuration, RedisBrokerOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(configuration);
        var config = ConfigurationOptions.Parse(configuration);
        if (!configuration.Contains("abortConnect", StringComparison.OrdinalIgnoreCase))
        {
            config.AbortOnConnectFail = false;
        }

        var connection = await ConnectionMultiplexer.ConnectAsync(config).ConfigureAwait(false);
        try
        {
            return new RedisBroker(connection, options, ownsConnection: true);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc />
    public ValueTask SendAsync(TaskMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new ValueTask(StartSend(message, _options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds(), wakeConsumers: true));
    }

    /// <inheritdoc />
    public async ValueTask SendManyAsync(IReadOnlyList<TaskMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var now = _options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();

        // One wake-up per queue, sent with the queue's last message: a queue's entries all go to one node over one
        // connection, in order, so it follows every entry of the batch.
        var lastOfQueue = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < messages.Count; i++)
        {
            ArgumentNullException.ThrowIfNull(messages[i], nameof(messages));
            lastOfQueue[messages[i].Queue] = i;
        }

        var sends = new Task[messages.Count];
        for (var i = 0; i < sends.Length; i++)
        {
            sends[i] = StartSend(messages[i], now, wakeConsumers: lastOfQueue[messages[i].Queue] == i);
        }

        await Task.WhenAll(sends).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<ITaskConsumer> CreateConsumerAsync(ConsumerOptions options, CancellationToken cancellationToken = default)
        => await RedisConsumer.CreateAsync(_db, _connection.GetSubscriber(), _keys, _options, options).ConfigureAwait(false);

    /// <summary>Disposes the connection if <see cref="ConnectAsync"/> created it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_ownsConnection)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private Task StartSend(TaskMessage message, long now, bool wakeConsumers)
    {
        var keys = _keys.For(message.Queue);
        if (message.EnqueuedAt == default)
        {
            message = message with { EnqueuedAt = DateTimeOffset.FromUnixTimeMilliseconds(now) };
        }

        var flat = EnvelopeCodec.ToFlat(message);
        var size = EnvelopeCodec.SizeOf(flat);
        if (size > _options.MaxPayloadBytes)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"Task {message.Id} is {size} bytes; the broker accepts at most {_options.MaxPayloadBytes}."),
                nameof(message));
        }

        if (message.DueAt is { } dueAt && dueAt.ToUnixTimeMilliseconds() > now)
        {
            return ScheduleAsync(keys, DueMemberCodec.Encode(flat), dueAt.ToUnixTimeMilliseconds(), wakeConsumers);
        }

        flat.Insert(0, wakeConsumers ? keys.WakeChannelName : RedisValue.EmptyString);
        return _db.ScriptEvaluateAsync(LuaScripts.Send, [keys.Stream], [.. flat]);
    }

    private async Task ScheduleAsync(QueueKeys keys, byte[] member, long due, bool wakeConsumers)
    {
        await _db.SortedSetAddAsync(keys.Due, member, due).ConfigureAwait(false);
        if (wakeConsumers)
        {
            // After the ZADD's reply, so a consumer that wakes to promote finds the member. Only a hint: consumers
            // also look at the due set every PollInterval.
            _db.Publish(keys.WakeChannel, due, CommandFlags.FireAndForget);
        }
    }
}
