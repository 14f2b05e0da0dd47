using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using StackExchange.Redis;
using Microsoft.Extensions.Logging;
using TypedTasks.Brokers;
using TypedTasks.Monitoring;
using TypedTasks.Redis.Internal;

namespace TypedTasks.Redis;

/// <summary>
/// The Redis Streams broker: at-least-once delivery with crash recovery, delayed messages, atomic retries,
/// dead letters and results, on a single Redis, Sentinel or Redis Cluster. The key layout and every script are
/// described in docs/redis.md.
/// </summary>
public sealed class RedisBroker : ITaskBroker
{
    // Messages per SendMany script call: large enough that the per-call cost vanishes, small enough that one call
    // does not hold Redis (single-threaded) for more than about a millisecond.
    private const int MaxMessagesPerSendCall = 500;

    private readonly IConnectionMultiplexer _connection;
    private readonly bool _ownsConnection;
    private readonly IDatabase _db;
    private readonly Keyspace _keys;
    private readonly RedisScripts _scripts;
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
        _scripts = new RedisScripts(_db);
        Results = new RedisResultStore(_db, _scripts, connection.GetSubscriber(), _keys, _options);
        var deadLetters = new RedisDeadLetterStore(_db, _scripts, _keys, _options);
        DeadLetters = deadLetters;
        Monitor = new RedisMonitor(connection, _db, _scripts, _keys, _options, deadLetters);
        Status = new RedisStatusStore(_db, _scripts, connection.GetSubscriber(), _keys, _options);
    }

    /// <summary>The connection the broker uses.</summary>
    public IConnectionMultiplexer Connection => _connection;

    /// <summary>The options in effect.</summary>
    public RedisBrokerOptions Options => _options;

    /// <summary><c>Redis at host:port</c>: how log lines (the hosting worker's start-up retry) name this broker.</summary>
    public override string ToString() => "Redis at " + RedisEndpoints.Describe(_connection.GetEndPoints(configuredOnly: true));

    /// <inheritdoc />
    public ITaskResultStore Results { get; }

    /// <inheritdoc />
    public IDeadLetterStore DeadLetters { get; }

    /// <inheritdoc />
    public ITaskStatusStore Status { get; }

    /// <summary>Queues, workers and dead letters as operators see them (docs/operations.md, "Monitoring API").</summary>
    public ITaskMonitor Monitor { get; }

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
        return new ValueTask(RedisFailures.Surfaced(StartSend(message, _options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds())));
    }

    /// <inheritdoc />
    public async ValueTask SendManyAsync(IReadOnlyList<TaskMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var now = _options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();

        // Every message is encoded and size-checked before anything is written, so a refused batch writes nothing.
        var byQueue = new Dictionary<string, QueueBatch>(StringComparer.Ordinal);
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            ArgumentNullException.ThrowIfNull(message, nameof(messages));
            if (!byQueue.TryGetValue(message.Queue, out var batch))
            {
                batch = new QueueBatch(_keys.For(message.Queue));
                byQueue.Add(message.Queue, batch);
            }

            var flat = Encode(message);
            if (message.DueAt is { } dueAt && dueAt.ToUnixTimeMilliseconds() > now)
            {
                batch.Scheduled.Add(new SortedSetEntry(DueMemberCodec.Encode(flat), dueAt.ToUnixTimeMilliseconds()));
            }
            else
            {
                batch.Immediate.Add(flat);
            }
        }

        // Started together: the multiplexer pipelines them. A queue's chunks travel to one node over one connection,
        // in order, so its entries keep the batch's order.
        var sends = new List<Task>();
        foreach (var batch in byQueue.Values)
        {
            if (batch.Keys.ClaimRegistration())
            {
                sends.Add(RegisterQueueAsync(batch.Keys));
            }

            for (var first = 0; first < batch.Immediate.Count; first += MaxMessagesPerSendCall)
            {
                sends.Add(SendChunk(batch, first, Math.Min(MaxMessagesPerSendCall, batch.Immediate.Count - first)));
            }

            if (batch.Scheduled.Count > 0)
            {
                sends.Add(ScheduleManyAsync(batch.Keys, [.. batch.Scheduled]));
            }
        }

        await RedisFailures.Surfaced(Task.WhenAll(sends)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<ITaskConsumer> CreateConsumerAsync(ConsumerOptions options, CancellationToken cancellationToken = default)
        => await RedisConsumer.CreateAsync(_db, _connection.GetSubscriber(), _scripts, _keys, _options, options).ConfigureAwait(false);

    /// <summary>Disposes the connection if <see cref="ConnectAsync"/> created it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_ownsConnection)
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
    }

    private Task StartSend(TaskMessage message, long now)
    {
        var keys = _keys.For(message.Queue);
        var flat = Encode(message);
        if (message.DueAt is { } dueAt && dueAt.ToUnixTimeMilliseconds() > now)
        {
            return WithRegistration(keys, ScheduleAsync(keys, DueMemberCodec.Encode(flat), dueAt.ToUnixTimeMilliseconds()));
        }

        return WithRegistration(keys, _scripts.SendAsync(keys, flat));
    }

    /// <summary>On the first message of a queue (per broker), adds the queue to the registry alongside the send, so
    /// every later send of it pays nothing for monitoring.</summary>
    private Task WithRegistration(QueueKeys keys, Task send) =>
        keys.ClaimRegistration() ? Task.WhenAll(send, RegisterQueueAsync(keys)) : send;

    /// <summary>SADD to the queue registry. A failure is only logged at Debug and retried on the queue's next send:
    /// the registry serves monitoring, and the send's own outcome is what the caller must see.</summary>
    private async Task RegisterQueueAsync(QueueKeys keys)
    {
        try
        {
            await _db.SetAddAsync(_keys.Queues, keys.Queue).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or OperationCanceledException or InvalidOperationException)
        {
            keys.RegistrationFailed();
            _options.Logger.LogDebug(ex, "Queue {Queue} could not be added to the queue registry yet.", keys.Queue);
        }
    }

    /// <summary>Returns the envelope fields; refuses a message that breaks the protocol or is too large.</summary>
    private List<RedisValue> Encode(TaskMessage message)
    {
        message.Validate();
        var flat = EnvelopeCodec.ToFlat(message);
        var size = EnvelopeCodec.SizeOf(flat);
        if (size > _options.MaxPayloadBytes)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"Task {message.Id} is {size} bytes; the broker accepts at most {_options.MaxPayloadBytes}."),
                nameof(message));
        }

        return flat;
    }

    private Task SendChunk(QueueBatch batch, int first, int count)
    {
        var argCount = 1;
        for (var i = first; i < first + count; i++)
        {
            argCount += 1 + batch.Immediate[i].Count;
        }

        var args = new RedisValue[argCount];
        // Every chunk wakes consumers (one PUBLISH per chunk, not per message), so they start on a long batch early.
        args[0] = batch.Keys.WakeChannelName;
        var pos = 1;
        for (var i = first; i < first + count; i++)
        {
            var flat = batch.Immediate[i];
            args[pos++] = flat.Count;
            flat.CopyTo(args, pos);
            pos += flat.Count;
        }

        return _scripts.SendManyAsync(batch.Keys, args);
    }

    private async Task ScheduleManyAsync(QueueKeys keys, SortedSetEntry[] members)
    {
        await _db.SortedSetAddAsync(keys.Due, members).ConfigureAwait(false);
        var earliest = members[0].Score;
        foreach (var member in members)
        {
            earliest = Math.Min(earliest, member.Score);
        }

        // After the ZADD's reply, as for a single scheduled send: the earliest due time lets idle consumers shorten
        // their sleep. Only a hint: consumers also look at the due set every PollInterval.
        _db.Publish(keys.WakeChannel, (long)earliest, CommandFlags.FireAndForget);
    }

    private async Task ScheduleAsync(QueueKeys keys, byte[] member, long due)
    {
        await _db.SortedSetAddAsync(keys.Due, member, due).ConfigureAwait(false);

        // After the ZADD's reply, so a consumer that wakes to promote finds the member. Only a hint: consumers
        // also look at the due set every PollInterval.
        _db.Publish(keys.WakeChannel, due, CommandFlags.FireAndForget);
    }
}
