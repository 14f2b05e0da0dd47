using System;
using System.Collections.Generic;
using System.Globalization;
using System.Runtime.CompilerServices;
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
    private readonly CancellationFeed _cancellations;

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
        _cancellations = new CancellationFeed(connection, _db, _keys, _options);
        Schedules = new RedisScheduleStore(_db, _scripts, _keys, _options);
        Workflows = new RedisWorkflowStore(_db, _scripts, _keys, _options);
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

    /// <inheritdoc />
    /// <remarks>Kept in Redis, so every process on the same Redis and key prefix sees the same schedules; a tick's claim
    /// and its message's append are one script (docs/redis.md, "Schedules").</remarks>
    public IScheduleStore Schedules { get; }

    /// <inheritdoc />
    /// <remarks>One hash per workflow, <c>P:wf:{ID}</c>, tagged by the workflow id, so every script of a workflow touches
    /// one slot on Cluster (docs/redis.md, "Workflows").</remarks>
    public IWorkflowStore Workflows { get; }

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
    /// <remarks>A message with a chosen id (<see cref="TaskMessage.ExplicitId"/>) or a unique key is sent by one script
    /// that checks and sets its guard keys (<c>{prefix:queue}:id:…</c>, <c>{prefix:queue}:unique:…</c>) and enqueues it;
    /// any other message takes the plain path, unchanged. See docs/redis.md.</remarks>
    public ValueTask<string?> SendAsync(TaskMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var now = _options.TimeProvider.GetUtcNow();
        if (message.ExplicitId || message.UniqueKey is not null)
        {
            var flat = Encode(message);
            var keys = _keys.For(message.Queue);
            var send = SendGuardedAsync(keys, message, flat, now);
            return new ValueTask<string?>(RedisFailures.Surfaced(keys.ClaimRegistration() ? RegisteredAsync(send, RegisterQueueAsync(keys)) : send));
        }

        return Plain(RedisFailures.Surfaced(StartSend(message, now.ToUnixTimeMilliseconds())));
    }

    /// <summary>The plain send's answer: stored, never a duplicate. The pooled builder keeps this free of a per-send
    /// allocation.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<string?> Plain(Task send)
    {
        await send.ConfigureAwait(false);
        return null;
    }

    private static async Task<string?> RegisteredAsync(Task<string?> send, Task registration)
    {
        await registration.ConfigureAwait(false);
        return await send.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<string?>?> SendManyAsync(IReadOnlyList<TaskMessage> messages, CancellationToken cancellationToken = default)
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
            if (message.ExplicitId || message.UniqueKey is not null)
            {
                batch.Guarded.Add(new GuardedSend(i, batch.Immediate.Count, message, flat));
            }
            else if (message.DueAt is { } dueAt && dueAt.ToUnixTimeMilliseconds() > now)
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
        List<(int Index, Task<string?> Send)>? guarded = null;
        var sentAt = DateTimeOffset.FromUnixTimeMilliseconds(now);
        foreach (var batch in byQueue.Values)
        {
            if (batch.Keys.ClaimRegistration())
            {
                sends.Add(RegisterQueueAsync(batch.Keys));
            }

            // Plain entries go in chunks; a guarded message cuts the chunk where it stands, so the queue keeps the order.
            var first = 0;
            foreach (var send in batch.Guarded)
            {
                first = SendChunks(batch, first, send.Position, sends);
                var task = SendGuardedAsync(batch.Keys, send.Message, send.Flat, sentAt);
                (guarded ??= []).Add((send.Index, task));
                sends.Add(task);
            }

            SendChunks(batch, first, batch.Immediate.Count, sends);
            if (batch.Scheduled.Count > 0)
            {
                sends.Add(ScheduleManyAsync(batch.Keys, [.. batch.Scheduled]));
            }
        }

        await RedisFailures.Surfaced(Task.WhenAll(sends)).ConfigureAwait(false);
        if (guarded is null)
        {
            return null;
        }

        string?[]? existing = null;
        foreach (var (index, task) in guarded)
        {
            if (task.Result is { } holder)
            {
                (existing ??= new string?[messages.Count])[index] = holder;
            }
        }

        return existing;
    }

    /// <inheritdoc />
    /// <remarks>Two steps: the Cancel script on the task id's slot stores the cancelled outcome unless an outcome is
    /// stored (and notifies waiters); then the AnnounceCancel script adds the id to <c>{prefix}:cancelled</c> and
    /// publishes it on <c>{prefix}:cancel</c>, which every worker process subscribes to. Calling again after a failure
    /// between the two repeats the announcement (<see cref="CancelResult.AlreadyCancelled"/>).</remarks>
    public async ValueTask<CancelResult> CancelAsync(string taskId, CancellationToken cancellationToken = default)
    {
        WireNames.ThrowIfInvalid(taskId, "task id", nameof(taskId));
        var now = _options.TimeProvider.GetUtcNow();
        var fields = new List<RedisValue>(12);
        ResultCodec.AddFields(fields, new TaskOutcome(false, ReadOnlyMemory<byte>.Empty, TaskError.ForCancellation(), now));
        var retentionMs = Math.Max(1, (long)_options.CancellationRetention.TotalMilliseconds);
        var answer = await RedisFailures.Surfaced(_scripts.CancelAsync(_keys.Result(taskId), retentionMs, fields)).ConfigureAwait(false);
        if (answer == 2)
        {
            return CancelResult.AlreadyFinished;
        }

        var nowMs = now.ToUnixTimeMilliseconds();
        await RedisFailures.Surfaced(_scripts.AnnounceCancelAsync(_keys.Cancelled, _keys.CancelChannelName, taskId, nowMs + retentionMs, nowMs)).ConfigureAwait(false);
        return answer == 0 ? CancelResult.Cancelled : CancelResult.AlreadyCancelled;
    }

    private int SendChunks(QueueBatch batch, int first, int end, List<Task> sends)
    {
        for (; first < end; first += MaxMessagesPerSendCall)
        {
            sends.Add(SendChunk(batch, first, Math.Min(MaxMessagesPerSendCall, end - first)));
        }

        return end;
    }

    private Task<string?> SendGuardedAsync(QueueKeys keys, TaskMessage message, List<RedisValue> flat, DateTimeOffset now)
    {
        var (idFor, uniqueFor) = message.GuardLifetimes(now);
        var count = (message.ExplicitId ? 1 : 0) + (message.UniqueKey is null ? 0 : 1);
        var guards = new RedisKey[count];
        var ttls = new long[count];
        var g = 0;
        if (message.ExplicitId)
        {
            guards[g] = keys.ExplicitId(message.Id);
            ttls[g++] = Math.Max(1, (long)idFor.TotalMilliseconds);
        }

        if (message.UniqueKey is { } uniqueKey)
        {
            guards[g] = keys.Unique(uniqueKey);
            ttls[g] = Math.Max(1, (long)uniqueFor.TotalMilliseconds);
        }

        var nowMs = now.ToUnixTimeMilliseconds();
        if (message.DueAt is { } dueAt && dueAt.ToUnixTimeMilliseconds() > nowMs)
        {
            return _scripts.SendGuardedAsync(keys, guards, ttls, message.Id, dueAt.ToUnixTimeMilliseconds(), DueMemberCodec.Encode(flat), fields: null);
        }

        return _scripts.SendGuardedAsync(keys, guards, ttls, message.Id, 0, member: null, flat);
    }

    /// <inheritdoc />
    public async ValueTask<ITaskConsumer> CreateConsumerAsync(ConsumerOptions options, CancellationToken cancellationToken = default)
    {
        // Before the first consumer reads: the process knows every live cancellation by then.
        await _cancellations.EnsureStartedAsync().ConfigureAwait(false);
        return await RedisConsumer.CreateAsync(_db, _connection.GetSubscriber(), _scripts, _keys, _options, options, _cancellations.Set).ConfigureAwait(false);
    }

    /// <summary>Disposes the connection if <see cref="ConnectAsync"/> created it.</summary>
    public async ValueTask DisposeAsync()
    {
        _cancellations.Dispose();
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
