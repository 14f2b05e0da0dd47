using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using TypedTasks.Brokers;
using TypedTasks.Redis.Internal;

namespace TypedTasks.Redis;

/// <summary>
/// One worker's consumer on the Redis broker: a member of each queue's consumer group. Created by
/// <see cref="RedisBroker.CreateConsumerAsync"/>. It reads and settles; <see cref="QueueMaintenance"/> promotes,
/// recovers and reaps, <see cref="ConsumerHeartbeat"/> keeps its deliveries claimed, <see cref="CommandRetry"/> rides
/// out outages, and <see cref="RedisScripts"/> holds every script.
/// </summary>
/// <remarks>
/// <para><see cref="ReceiveAsync"/> is meant for one reading loop; acknowledgements and the other outcomes may come
/// from any thread.</para>
/// <para>Idle consumers do not poll Redis in a loop: senders publish a wake-up on the queue's channel, the consumer
/// awaits it and then reads without blocking. A safety read every <see cref="RedisBrokerOptions.PollInterval"/> covers
/// notifications lost in a reconnect. See docs/redis.md.</para>
/// </remarks>
internal sealed class RedisConsumer : ITaskConsumer
{
    // Above this many fields an undecodable entry is dead-lettered as one blob: Lua's unpack stops near 8,000 values.
    private const int MaxRawFieldsKeptAsFields = 256;

    private readonly IDatabase _db;
    private readonly ISubscriber _subscriber;
    private readonly RedisScripts _scripts;
    private readonly RedisBrokerOptions _options;
    private readonly TimeProvider _time;
    private readonly QueueState[] _queues;
    private readonly RedisValue _group;
    private readonly RedisValue _name;
    private readonly WakeSignal _wake = new();
    private readonly OutageLog _outage;
    private readonly CommandRetry _retry;
    private readonly QueueMaintenance _maintenance;
    private readonly ConsumerHeartbeat _heartbeat;
    private readonly WorkerPresence _presence;
    private readonly Action<RedisChannel, RedisValue> _onWake;
    private readonly List<Task> _sideEffects = [];
    private readonly long _recoveryIntervalMs;
    private readonly long _pollMs;
    private readonly int _batchSize;
    private long _nextRecoveryMs;
    private long _lastReadMs;
    private int _disposed;

    private RedisConsumer(IDatabase db, ISubscriber subscriber, RedisScripts scripts, Keyspace keys, RedisBrokerOptions options, ConsumerOptions consumer, TaskCancellations cancellations)
    {
        Cancellations = cancellations;
        _db = db;
        _subscriber = subscriber;
        _scripts = scripts;
        _options = options;
        // A clock given to this consumer wins over the broker's (both default to the system clock).
        _time = consumer.TimeProvider != TimeProvider.System ? consumer.TimeProvider : options.TimeProvider;
        _batchSize = Math.Max(1, consumer.BatchSize);
        _group = options.ConsumerGroup;
        ConsumerGroup = options.ConsumerGroup;
        Name = consumer.ConsumerName ?? DefaultName();
        _name = Name;
        _queues = new QueueState[consumer.Queues.Count];
        for (var i = 0; i < _queues.Length; i++)
        {
            _queues[i] = new QueueState(keys.For(consumer.Queues[i]), AcknowledgeAsync);
        }

        _recoveryIntervalMs = (long)options.HeartbeatInterval.TotalMilliseconds;
        _pollMs = Math.Max(1, (long)options.PollInterval.TotalMilliseconds);
        _lastReadMs = _time.GetUtcNow().ToUnixTimeMilliseconds();
        _onWake = OnWake;
        _outage = new OutageLog(options.Logger, "Consumer " + Name, _time);
        _retry = new CommandRetry(options, _outage);
        _maintenance = new QueueMaintenance(db, scripts, options, _group, _name);
        _presence = new WorkerPresence(db, keys, options, Name, _queues, consumer.RunningCount);
        _heartbeat = new ConsumerHeartbeat(scripts, _queues, options, _time, _group, _name, _outage, _presence);
    }

    /// <summary>The broker's cancellations, kept in step with Redis by its cancellation feed.</summary>
    public TaskCancellations Cancellations { get; }

    /// <summary>This consumer's name within the consumer groups.</summary>
    public string Name { get; }

    /// <summary>The Redis consumer group this consumer reads in (<see cref="RedisBrokerOptions.ConsumerGroup"/>).</summary>
    public string ConsumerGroup { get; }

    /// <inheritdoc />
    /// <remarks>Its creation time until the first read completes: a consumer that never reads is stalled, too.</remarks>
    public DateTimeOffset? LastReadAt => DateTimeOffset.FromUnixTimeMilliseconds(Volatile.Read(ref _lastReadMs));

    internal static async ValueTask<RedisConsumer> CreateAsync(
        IDatabase db, ISubscriber subscriber, RedisScripts scripts, Keyspace keys, RedisBrokerOptions options, ConsumerOptions consumerOptions, TaskCancellations cancellations)
    {
        ArgumentNullException.ThrowIfNull(consumerOptions);
        if (consumerOptions.Queues is not { Count: > 0 })
        {
            throw new ArgumentException("A consumer needs at least one queue.", nameof(consumerOptions));
        }

        var consumer = new RedisConsumer(db, subscriber, scripts, keys, options, consumerOptions, cancellations);
        foreach (var queue in consumer._queues)
        {
            await consumer._maintenance.EnsureGroupAsync(queue).ConfigureAwait(false);
            await subscriber.SubscribeAsync(queue.Keys.WakeChannel, consumer._onWake).ConfigureAwait(false);
        }

        await consumer._heartbeat.StartAsync().ConfigureAwait(false);
        return consumer;
    }

    /// <inheritdoc />
    public async ValueTask<int> ReceiveAsync(Memory<TaskDelivery> buffer, CancellationToken cancellationToken)
    {
        if (buffer.IsEmpty)
        {
            throw new ArgumentException("The buffer must hold at least one delivery.", nameof(buffer));
        }

        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (buffer.Length > _batchSize)
        {
            buffer = buffer[.._batchSize];
        }

        var backoff = RedisFailures.FirstBackoff;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var count = 0;
            try
            {
                var now = NowMs();
                if (now >= _nextRecoveryMs)
                {
                    _nextRecoveryMs = now + _recoveryIntervalMs;
                    count = await RecoverAsync(buffer, now).ConfigureAwait(false);
                }

                foreach (var queue in _queues)
                {
                    if (now >= queue.NextDueMs || now - queue.LastPromotionMs >= _pollMs)
                    {
                        await _maintenance.PromoteAsync(queue, now).ConfigureAwait(false);
                    }
                }

                var sawEntries = false;
                foreach (var queue in _queues)
                {
                    if (count == buffer.Length)
                    {
                        break;
                    }

                    var entries = await _db.StreamReadGroupAsync(
                        queue.Keys.Stream, _group, _name, StreamPosition.NewMessages, buffer.Length - count).ConfigureAwait(false);
                    sawEntries |= entries.Length > 0;
                    count = await AcceptAllAsync(queue, entries, null, buffer, count, now).ConfigureAwait(false);
                }

                _outage.Succeeded();
                Volatile.Write(ref _lastReadMs, now);
                if (count > 0)
                {
                    return count;
                }

                backoff = RedisFailures.FirstBackoff;
                if (!sawEntries)
                {
                    // Entries that were all malformed or not yet due mean there may be more: read again at once.
                    await _wake.WaitAsync(IdleWait(now), _time, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (count > 0)
            {
                // The deliveries already in the buffer are in flight (their claims kept fresh by the heartbeat), so
                // handing them out is the only way they ever run. Whatever failed shows again on the next call.
                _options.Logger.LogDebug(ex, "Consumer {Consumer} hands out {Count} deliveries despite a failed read.", Name, count);
                return count;
            }
            catch (Exception ex) when (RedisFailures.IsMissingGroup(ex))
            {
                _options.Logger.LogWarning("Consumer group of consumer {Consumer} vanished; recreating it.", Name);
                _options.Logger.LogDebug(ex, "Consumer {Consumer}: missing group.", Name);
                foreach (var queue in _queues)
                {
                    await _maintenance.EnsureGroupAsync(queue).ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (RedisFailures.IsTransient(ex, cancellationToken))
            {
                _outage.Failed(ex, "read", backoff);
                await Task.Delay(backoff, _time, cancellationToken).ConfigureAwait(false);
                backoff = RedisFailures.NextBackoff(backoff);
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask AckAsync(TaskDelivery delivery, CancellationToken cancellationToken = default)
    {
        var (queue, id) = Resolve(delivery);
        try
        {
            await queue.Acks.AckAsync(id).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            queue.InFlight.TryRemove(delivery.DeliveryId, out _);
        }

        if (delivery.Message.ReleasesUniqueKey)
        {
            await ReleaseUniqueKeyAsync(queue, delivery.Message, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Releases the unique key of a task settled for good. A separate script after the settlement (only for unique
    /// tasks: a plain delivery pays nothing): a crash between the two leaves the key held until its time to live
    /// (<see cref="TaskMessage.DuplicateWindow"/> after the task was due), never released for another holder.
    /// </summary>
    private Task ReleaseUniqueKeyAsync(QueueState queue, TaskMessage message, CancellationToken cancellationToken) =>
        _retry.RunAsync(
            "releasing a unique key",
            (Scripts: _scripts, Key: queue.Keys.Unique(message.UniqueKey!), message.Id),
            static s => s.Scripts.ReleaseUniqueAsync(s.Key, s.Id),
            cancellationToken);

    /// <inheritdoc />
    public async ValueTask RetryAsync(TaskDelivery delivery, TaskMessage nextAttempt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(nextAttempt);
        var (queue, id) = Resolve(delivery);
        if (!string.Equals(nextAttempt.Queue, queue.Keys.Queue, StringComparison.Ordinal))
        {
            throw new ArgumentException("A retry stays on the queue of its delivery.", nameof(nextAttempt));
        }

        var now = NowMs();
        var due = nextAttempt.DueAt?.ToUnixTimeMilliseconds() ?? now;
        var member = DueMemberCodec.Encode(EnvelopeCodec.ToFlat(nextAttempt));
        try
        {
            await _retry.RunAsync(
                "retrying a delivery",
                (Scripts: _scripts, Queue: queue.Keys, Group: _group, Id: id, Due: due, Now: now, Member: member),
                static s => s.Scripts.RetryAsync(s.Queue, s.Group, s.Id, s.Due, s.Now, s.Member),
                cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            queue.InFlight.TryRemove(delivery.DeliveryId, out _);
        }
    }

    /// <inheritdoc />
    public async ValueTask DeadLetterAsync(TaskDelivery delivery, TaskError error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(error);
        var (queue, id) = Resolve(delivery);
        try
        {
            var fields = DeadLetterMetadata(delivery.DeliveryId, error, delivery.DeliveryCount);
            fields.AddRange(EnvelopeCodec.ToFlat(delivery.Message));
            await _retry.RunAsync(
                "dead-lettering a delivery",
                (Consumer: this, Queue: queue.Keys, Id: id, Fields: fields),
                static s => s.Consumer.DeadLetterScriptAsync(s.Queue, s.Id, s.Fields),
                cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            queue.InFlight.TryRemove(delivery.DeliveryId, out _);
        }

        if (delivery.Message.ReleasesUniqueKey)
        {
            await ReleaseUniqueKeyAsync(queue, delivery.Message, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask ReleaseAsync(TaskDelivery delivery, CancellationToken cancellationToken = default)
    {
        var (queue, id) = Resolve(delivery);
        try
        {
            await _retry.RunAsync(
                "releasing a delivery",
                (Scripts: _scripts, Queue: queue.Keys, Group: _group, Id: id, Deliveries: delivery.DeliveryCount),
                static s => s.Scripts.ReleaseAsync(s.Queue, s.Group, s.Id, s.Deliveries),
                cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            queue.InFlight.TryRemove(delivery.DeliveryId, out _);
        }
    }

    /// <summary>Stops heartbeats and leaves the consumer groups. Deliveries still held are not released: they are
    /// recovered by other consumers after <see cref="RedisBrokerOptions.ClaimIdleThreshold"/> (call
    /// <see cref="ReleaseAsync"/> first to hand them back at once).</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _heartbeat.StopAsync().ConfigureAwait(false);
        try
        {
            await _presence.LeaveAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (RedisFailures.IsTransient(ex) || ex is RedisException)
        {
            // Its record expires after ClaimIdleThreshold anyway.
            _options.Logger.LogDebug(ex, "Consumer {Consumer} could not leave the worker registry cleanly.", Name);
        }

        foreach (var queue in _queues)
        {
            try
            {
                await _subscriber.UnsubscribeAsync(queue.Keys.WakeChannel, _onWake).ConfigureAwait(false);
                await _scripts.LeaveAsync(queue.Keys, _group, _name).ConfigureAwait(false);
            }
            catch (Exception ex) when (RedisFailures.IsTransient(ex) || ex is RedisException)
            {
                // Leaving is a courtesy: the reaper removes a silent consumer once its entries are recovered.
                _options.Logger.LogDebug(ex, "Consumer {Consumer} could not leave queue {Queue} cleanly.", Name, queue.Keys.Queue);
            }
        }
    }

    /// <summary>Crash recovery for every queue, then the reaper; returns the new count of deliveries in the buffer.</summary>
    private async ValueTask<int> RecoverAsync(Memory<TaskDelivery> buffer, long now)
    {
        var count = 0;
        foreach (var queue in _queues)
        {
            if (count == buffer.Length)
            {
                break;
            }

            var (entries, deliveries) = await _maintenance.RecoverAsync(queue, buffer.Length - count).ConfigureAwait(false);
            count = await AcceptAllAsync(queue, entries, deliveries, buffer, count, now).ConfigureAwait(false);
            await _maintenance.ReapAsync(queue, now).ConfigureAwait(false);
        }

        return count;
    }

    /// <summary>
    /// Turns read entries into deliveries from <paramref name="count"/> on and returns the new count. Entries that
    /// are not tasks go to the dead letters and entries not yet due (a producer's <c>due</c>) to the due-later set,
    /// all in one pipelined round trip after every decodable entry is already in the buffer: a bad entry can never
    /// delay or strand the good ones read with it. A dead letter or deferral that fails leaves its entry pending but
    /// not in flight, so crash recovery hands it out again after <see cref="RedisBrokerOptions.ClaimIdleThreshold"/>.
    /// </summary>
    private async ValueTask<int> AcceptAllAsync(
        QueueState queue, StreamEntry[] entries, List<int>? deliveries, Memory<TaskDelivery> buffer, int count, long now)
    {
        _sideEffects.Clear();
        for (var i = 0; i < entries.Length; i++)
        {
            var entry = entries[i];
            var delivered = deliveries?[i] ?? 1;
            var entryId = entry.Id.ToString() ?? string.Empty;
            if (!EnvelopeCodec.TryDecode(queue.Keys.Queue, entry.Values, _options.MaxPayloadBytes, out var message, out var priorDeliveries, out var error))
            {
                _options.Logger.LogWarning("Dead-lettering undecodable entry {Entry} of queue {Queue}: {Reason}", entryId, queue.Keys.Queue, error!.Message);
                _sideEffects.Add(DeadLetterRawAsync(queue, entryId, entry.Values, error!, delivered));
                continue;
            }

            // A foreign 'dc' may be as large as int.MaxValue: the count saturates instead of wrapping negative.
            var total = (int)Math.Min(int.MaxValue, (long)delivered + priorDeliveries);
            if (message!.DueAt is { } dueAt && dueAt.ToUnixTimeMilliseconds() > now)
            {
                // A producer asked for later (docs/protocol.md, 'due'): the entry waits in the due-later set.
                _sideEffects.Add(DeferAsync(queue, entryId, message, total, dueAt.ToUnixTimeMilliseconds(), now));
                continue;
            }

            queue.InFlight[entryId] = 0;
            buffer.Span[count++] = new RedisDelivery(message, entryId, total, queue);
        }

        if (_sideEffects.Count > 0)
        {
            try
            {
                await Task.WhenAll(_sideEffects).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // Each failure was logged where it happened; the entries stay pending and are recovered later.
                _options.Logger.LogDebug(ex, "Consumer {Consumer}: some entries of queue {Queue} could not be set aside yet.", Name, queue.Keys.Queue);
            }
        }

        return count;
    }

    private async Task DeadLetterRawAsync(QueueState queue, string entryId, NameValueEntry[] entry, TaskError error, int deliveries)
    {
        // Bad input never reaches the caller and never blocks the queue: it moves to the dead letters verbatim.
        var fields = DeadLetterMetadata(entryId, error, deliveries);
        if (entry.Length <= MaxRawFieldsKeptAsFields)
        {
            foreach (var pair in entry)
            {
                fields.Add(pair.Name);
                fields.Add(pair.Value);
            }
        }
        else
        {
            // Thousands of fields would overflow Lua's unpack; one binary-safe blob keeps every byte instead.
            var flat = new List<RedisValue>(entry.Length * 2);
            foreach (var pair in entry)
            {
                flat.Add(pair.Name);
                flat.Add(pair.Value);
            }

            fields.Add(Fields.Raw);
            fields.Add(DueMemberCodec.Encode(flat));
        }

        try
        {
            // Not retried here: the other entries of the read wait for this call, and crash recovery retries it.
            await DeadLetterScriptAsync(queue.Keys, entryId, fields).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            _options.Logger.LogWarning(
                "Consumer {Consumer} could not dead-letter entry {Entry} of queue {Queue} yet ({Error}); it is retried after the claim threshold.",
                Name, entryId, queue.Keys.Queue, ex.Message);
            throw;
        }
    }

    private async Task DeferAsync(QueueState queue, string entryId, TaskMessage message, int deliveries, long dueMs, long now)
    {
        // The retry script moves the entry atomically: acknowledged and deleted here, added to the due-later set.
        var member = DueMemberCodec.Encode(EnvelopeCodec.ToFlat(message, deliveries - 1));
        try
        {
            await _scripts.RetryAsync(queue.Keys, _group, entryId, dueMs, now, member).ConfigureAwait(false);
            queue.OfferDue(dueMs);
        }
        catch (Exception ex)
        {
            _options.Logger.LogWarning(
                "Consumer {Consumer} could not defer entry {Entry} of queue {Queue} yet ({Error}); it is retried after the claim threshold.",
                Name, entryId, queue.Keys.Queue, ex.Message);
            throw;
        }
    }

    private Task<bool> DeadLetterScriptAsync(QueueKeys queue, RedisValue entryId, List<RedisValue> fields)
    {
        var oldestKept = NowMs() - (long)_options.DeadLetterMaxAge.TotalMilliseconds;
        return _scripts.DeadLetterAsync(queue, _group, entryId, oldestKept, _options.DeadLetterMaxLength, fields);
    }

    private List<RedisValue> DeadLetterMetadata(string entryId, TaskError error, int deliveries)
    {
        var fields = new List<RedisValue>(32);
        DeadLetterCodec.AddMetadata(fields, error, NowMs(), entryId, deliveries);
        return fields;
    }

    private TimeSpan IdleWait(long now)
    {
        var until = Math.Min(now + _pollMs, _nextRecoveryMs);
        foreach (var queue in _queues)
        {
            until = Math.Min(until, queue.NextDueMs);
        }

        return TimeSpan.FromMilliseconds(Math.Max(1, until - now));
    }

    private void OnWake(RedisChannel channel, RedisValue payload)
    {
        if (!payload.IsNullOrEmpty && payload.TryParse(out long dueMs))
        {
            foreach (var queue in _queues)
            {
                if (queue.Keys.WakeChannel == channel)
                {
                    queue.OfferDue(dueMs);
                }
            }
        }

        _wake.Set();
    }

    private Task AcknowledgeAsync(QueueState queue, RedisValue[] entryIds) =>
        _retry.RunAsync(
            "acknowledging deliveries",
            (Scripts: _scripts, Queue: queue.Keys, Group: _group, Ids: entryIds),
            static s => s.Scripts.AckAsync(s.Queue, s.Group, s.Ids),
            CancellationToken.None);

    private (QueueState Queue, RedisValue EntryId) Resolve(TaskDelivery delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        if (delivery is RedisDelivery redis)
        {
            return (redis.Queue, redis.DeliveryId);
        }

        foreach (var queue in _queues)
        {
            if (string.Equals(queue.Keys.Queue, delivery.Message.Queue, StringComparison.Ordinal))
            {
                return (queue, delivery.DeliveryId);
            }
        }

        throw new ArgumentException("The delivery does not belong to a queue of this consumer.", nameof(delivery));
    }

    private long NowMs() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private static string DefaultName()
        => string.Concat(Environment.MachineName, "-", Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture), "-", TaskId.NewId()[16..]);
}
