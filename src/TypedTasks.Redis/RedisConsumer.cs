using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using TypedTasks.Redis.Internal;

namespace TypedTasks.Redis;

/// <summary>
/// One worker's consumer on the Redis broker: a member of each queue's consumer group. Created by
/// <see cref="RedisBroker.CreateConsumerAsync"/>.
/// </summary>
/// <remarks>
/// <para><see cref="ReceiveAsync"/> is meant for one reading loop; acknowledgements and the other outcomes may come
/// from any thread.</para>
/// <para>Idle consumers do not poll Redis in a loop: senders publish a wake-up on the queue's channel, the consumer
/// awaits it and then reads without blocking. A safety read every <see cref="RedisBrokerOptions.PollInterval"/> covers
/// notifications lost in a reconnect. See docs/redis.md.</para>
/// </remarks>
public sealed class RedisConsumer : ITaskConsumer
{
    private readonly IDatabase _db;
    private readonly ISubscriber _subscriber;
    private readonly RedisBrokerOptions _options;
    private readonly TimeProvider _time;
    private readonly QueueState[] _queues;
    // Above this many fields an undecodable entry is dead-lettered as one blob: Lua's unpack stops near 8,000 values.
    private const int MaxRawFieldsKeptAsFields = 256;

    private readonly RedisValue _group;
    private readonly RedisValue _name;
    private readonly WakeSignal _wake = new();
    private readonly OutageLog _outage;
    private readonly List<Task> _sideEffects = [];
    private readonly Action<RedisChannel, RedisValue> _onWake;
    private readonly CancellationTokenSource _stopping = new();
    private readonly long _thresholdMs;
    private readonly long _heartbeatMs;
    private readonly long _pollMs;
    private readonly int _batchSize;
    private Task _heartbeats = Task.CompletedTask;
    private long _nextRecoveryMs;
    private int _disposed;

    private RedisConsumer(IDatabase db, ISubscriber subscriber, Keyspace keys, RedisBrokerOptions options, ConsumerOptions consumer)
    {
        _db = db;
        _subscriber = subscriber;
        _options = options;
        // A clock given to this consumer wins over the broker's (both default to the system clock).
        _time = consumer.TimeProvider != TimeProvider.System ? consumer.TimeProvider : options.TimeProvider;
        _batchSize = Math.Max(1, consumer.BatchSize);
        _group = options.ConsumerGroup;
        Name = consumer.ConsumerName ?? DefaultName();
        _name = Name;
        _queues = new QueueState[consumer.Queues.Count];
        for (var i = 0; i < _queues.Length; i++)
        {
            _queues[i] = new QueueState(keys.For(consumer.Queues[i]), AcknowledgeAsync);
        }

        _thresholdMs = (long)options.ClaimIdleThreshold.TotalMilliseconds;
        _heartbeatMs = (long)options.HeartbeatInterval.TotalMilliseconds;
        _pollMs = Math.Max(1, (long)options.PollInterval.TotalMilliseconds);
        _onWake = OnWake;
        _outage = new OutageLog(options.Logger, Name, _time);
    }

    /// <summary>This consumer's name within the consumer groups.</summary>
    public string Name { get; }

    internal static async ValueTask<RedisConsumer> CreateAsync(
        IDatabase db, ISubscriber subscriber, Keyspace keys, RedisBrokerOptions options, ConsumerOptions consumerOptions)
    {
        ArgumentNullException.ThrowIfNull(consumerOptions);
        if (consumerOptions.Queues is not { Count: > 0 })
        {
            throw new ArgumentException("A consumer needs at least one queue.", nameof(consumerOptions));
        }

        var consumer = new RedisConsumer(db, subscriber, keys, options, consumerOptions);
        foreach (var queue in consumer._queues)
        {
            await consumer.EnsureGroupAsync(queue).ConfigureAwait(false);
            await subscriber.SubscribeAsync(queue.Keys.WakeChannel, consumer._onWake).ConfigureAwait(false);
        }

        // Registered before the first read, so the reaper never sees this consumer in the group but not in the registry.
        await consumer.HeartbeatAsync().ConfigureAwait(false);
        consumer._heartbeats = consumer.RunHeartbeatsAsync();
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
                    _nextRecoveryMs = now + _heartbeatMs;
                    count = await RecoverAsync(buffer, now).ConfigureAwait(false);
                }

                foreach (var queue in _queues)
                {
                    if (now >= queue.NextDueMs || now - queue.LastPromotionMs >= _pollMs)
                    {
                        await PromoteAsync(queue, now).ConfigureAwait(false);
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
                    await EnsureGroupAsync(queue).ConfigureAwait(false);
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
    }

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
            await EvaluateAsync(
                LuaScripts.Retry,
                [queue.Keys.Stream, queue.Keys.Due],
                [_group, id, due, now, member, queue.Keys.WakeChannelName],
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
            var args = DeadLetterArgs(delivery.DeliveryId, error, delivery.DeliveryCount);
            args.AddRange(EnvelopeCodec.ToFlat(delivery.Message));
            await EvaluateAsync(LuaScripts.DeadLetter, [queue.Keys.Stream, queue.Keys.DeadLetters], [.. args], cancellationToken)
                .ConfigureAwait(false);
        }
        finally
        {
            queue.InFlight.TryRemove(delivery.DeliveryId, out _);
        }
    }

    /// <inheritdoc />
    public async ValueTask ReleaseAsync(TaskDelivery delivery, CancellationToken cancellationToken = default)
    {
        var (queue, id) = Resolve(delivery);
        try
        {
            await EvaluateAsync(
                LuaScripts.Release,
                [queue.Keys.Stream],
                [_group, id, delivery.DeliveryCount, queue.Keys.WakeChannelName],
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

        await _stopping.CancelAsync().ConfigureAwait(false);
        await _heartbeats.ConfigureAwait(false);
        foreach (var queue in _queues)
        {
            try
            {
                await _subscriber.UnsubscribeAsync(queue.Keys.WakeChannel, _onWake).ConfigureAwait(false);
                await _db.ScriptEvaluateAsync(LuaScripts.Leave, [queue.Keys.Stream, queue.Keys.Consumers], [_group, _name])
                    .ConfigureAwait(false);
            }
            catch (Exception ex) when (RedisFailures.IsTransient(ex) || ex is RedisException)
            {
                // Leaving is a courtesy: the reaper removes a silent consumer once its entries are recovered.
                _options.Logger.LogDebug(ex, "Consumer {Consumer} could not leave queue {Queue} cleanly.", Name, queue.Keys.Queue);
            }
        }

        _stopping.Dispose();
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

    private async Task DeadLetterRawAsync(QueueState queue, string entryId, NameValueEntry[] fields, TaskError error, int deliveries)
    {
        // Bad input never reaches the caller and never blocks the queue: it moves to the dead letters verbatim.
        var args = DeadLetterArgs(entryId, error, deliveries);
        if (fields.Length <= MaxRawFieldsKeptAsFields)
        {
            foreach (var pair in fields)
            {
                args.Add(pair.Name);
                args.Add(pair.Value);
            }
        }
        else
        {
            // Thousands of fields would overflow Lua's unpack; one binary-safe blob keeps every byte instead.
            var flat = new List<RedisValue>(fields.Length * 2);
            foreach (var pair in fields)
            {
                flat.Add(pair.Name);
                flat.Add(pair.Value);
            }

            args.Add(Fields.Raw);
            args.Add(DueMemberCodec.Encode(flat));
        }

        try
        {
            await _db.ScriptEvaluateAsync(LuaScripts.DeadLetter, [queue.Keys.Stream, queue.Keys.DeadLetters], [.. args]).ConfigureAwait(false);
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
            await _db.ScriptEvaluateAsync(
                LuaScripts.Retry,
                [queue.Keys.Stream, queue.Keys.Due],
                [_group, entryId, dueMs, now, member, queue.Keys.WakeChannelName]).ConfigureAwait(false);
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

    private async ValueTask<int> RecoverAsync(Memory<TaskDelivery> buffer, long now)
    {
        var count = 0;
        foreach (var queue in _queues)
        {
            if (count == buffer.Length)
            {
                break;
            }

            var claim = await _db.StreamAutoClaimAsync(
                queue.Keys.Stream, _group, _name, _thresholdMs, queue.RecoveryCursor, buffer.Length - count).ConfigureAwait(false);
            queue.RecoveryCursor = claim.NextStartId.IsNullOrEmpty ? (RedisValue)"0-0" : claim.NextStartId;
            var claimed = claim.ClaimedEntries;
            if (claimed is { Length: > 0 })
            {
                // XAUTOCLAIM counted this delivery; XPENDING tells how many there were in all.
                var pending = await _db.StreamPendingMessagesAsync(
                    queue.Keys.Stream, _group, claimed.Length + queue.InFlight.Count + 16, _name, claimed[0].Id, claimed[^1].Id)
                    .ConfigureAwait(false);
                var recovered = new List<StreamEntry>(claimed.Length);
                var deliveries = new List<int>(claimed.Length);
                foreach (var entry in claimed)
                {
                    if (queue.InFlight.ContainsKey(entry.Id.ToString()))
                    {
                        continue; // Ours and still running; nothing to hand out again.
                    }

                    var delivered = 2;
                    foreach (var info in pending)
                    {
                        if (info.MessageId == entry.Id)
                        {
                            delivered = info.DeliveryCount;
                            break;
                        }
                    }

                    _options.Logger.LogInformation("Consumer {Consumer} recovered entry {Entry} of queue {Queue}.", Name, entry.Id, queue.Keys.Queue);
                    recovered.Add(entry);
                    deliveries.Add(delivered);
                }

                count = await AcceptAllAsync(queue, [.. recovered], deliveries, buffer, count, now).ConfigureAwait(false);
            }

            await _db.ScriptEvaluateAsync(LuaScripts.Reap, [queue.Keys.Stream, queue.Keys.Consumers], [_group, now - _thresholdMs])
                .ConfigureAwait(false);
        }

        return count;
    }

    private async ValueTask PromoteAsync(QueueState queue, long now)
    {
        queue.LastPromotionMs = now;
        while (true)
        {
            var result = await _db.ScriptEvaluateAsync(
                LuaScripts.Promote,
                [queue.Keys.Due, queue.Keys.Stream],
                [now, _options.PromoteBatchSize, queue.Keys.WakeChannelName]).ConfigureAwait(false);
            var promoted = (long)result[0];
            var nextDue = (double)result[1];
            queue.SetNextDue(nextDue < 0 ? long.MaxValue : (long)nextDue);
            if (promoted < _options.PromoteBatchSize || nextDue < 0 || nextDue > now)
            {
                return;
            }
        }
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

    private async Task RunHeartbeatsAsync()
    {
        using var timer = new PeriodicTimer(_options.HeartbeatInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false))
            {
                try
                {
                    await HeartbeatAsync().ConfigureAwait(false);
                    _outage.Succeeded();
                }
                catch (Exception ex) when (RedisFailures.IsTransient(ex, _stopping.Token))
                {
                    _outage.Failed(ex, "heartbeat", _options.HeartbeatInterval);
                }
                catch (Exception ex) when (ex is RedisException or TimeoutException)
                {
                    _options.Logger.LogWarning(ex, "Heartbeat of consumer {Consumer} failed.", Name);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
    }

    private async Task HeartbeatAsync()
    {
        var now = NowMs();
        var pending = new Task[_queues.Length];
        for (var i = 0; i < _queues.Length; i++)
        {
            var queue = _queues[i];
            var args = new List<RedisValue>(4 + queue.InFlight.Count) { _group, _name, now };
            foreach (var id in queue.InFlight.Keys)
            {
                args.Add(id);
            }

            pending[i] = _db.ScriptEvaluateAsync(LuaScripts.Heartbeat, [queue.Keys.Stream, queue.Keys.Consumers], [.. args]);
        }

        await Task.WhenAll(pending).ConfigureAwait(false);
    }

    private async ValueTask EnsureGroupAsync(QueueState queue)
    {
        try
        {
            // From "0", not "$": entries sent before the group existed (or after Redis lost it) are still delivered.
            await _db.StreamCreateConsumerGroupAsync(queue.Keys.Stream, _group, StreamPosition.Beginning, createStream: true)
                .ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (RedisFailures.IsExistingGroup(ex))
        {
            // Another consumer was first.
        }
    }

    private async ValueTask<RedisResult> EvaluateAsync(string script, RedisKey[] keys, RedisValue[] args, CancellationToken cancellationToken)
    {
        // Safe to repeat: every outcome script first XACKs and stops if the delivery is no longer pending.
        var giveUpAt = _time.GetUtcNow() + _options.CommandRetryTimeout;
        var backoff = RedisFailures.FirstBackoff;
        while (true)
        {
            try
            {
                var result = await _db.ScriptEvaluateAsync(script, keys, args).ConfigureAwait(false);
                _outage.Succeeded();
                return result;
            }
            catch (Exception ex) when (RedisFailures.IsTransient(ex) && _time.GetUtcNow() < giveUpAt)
            {
                _outage.Failed(ex, "settling a delivery", backoff);
                await Task.Delay(backoff, _time, cancellationToken).ConfigureAwait(false);
                backoff = RedisFailures.NextBackoff(backoff);
            }
        }
    }

    private Task AcknowledgeAsync(QueueState queue, RedisValue[] entryIds)
    {
        var args = new RedisValue[entryIds.Length + 1];
        args[0] = _group;
        entryIds.CopyTo(args, 1);
        return EvaluateAsync(LuaScripts.Ack, [queue.Keys.Stream], args, CancellationToken.None).AsTask();
    }

    private List<RedisValue> DeadLetterArgs(string entryId, TaskError error, int deliveries)
    {
        var now = NowMs();
        var oldestKept = now - (long)_options.DeadLetterMaxAge.TotalMilliseconds;
        var args = new List<RedisValue>(32) { _group, entryId, oldestKept + "-0", _options.DeadLetterMaxLength };
        DeadLetterCodec.AddMetadata(args, error, now, entryId, deliveries);
        return args;
    }

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
