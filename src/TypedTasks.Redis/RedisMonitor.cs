using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using StackExchange.Redis;
using TypedTasks.Monitoring;
using TypedTasks.Redis.Internal;

namespace TypedTasks.Redis;

/// <summary>
/// The Redis broker's monitoring view. Queues come from the queue registry (<c>P:queues</c>), workers from the worker
/// registry (<c>P:workers</c>) and their records (<c>P:worker:{name}</c>): no KEYS or SCAN. Each queue's counts are
/// one read-only script on that queue's slot; several queues are read with one script call each, pipelined, never
/// one multi-slot script. docs/operations.md lists the cost of each member.
/// </summary>
internal sealed class RedisMonitor : ITaskMonitor
{
    // Waiting entries deleted per PurgeQueue script call: one call stays well under a millisecond of Redis time.
    private const int PurgeBatch = 1000;

    private readonly IConnectionMultiplexer _connection;
    private readonly IDatabase _db;
    private readonly RedisScripts _scripts;
    private readonly Keyspace _keys;
    private readonly RedisBrokerOptions _options;
    private readonly RedisValue _group;

    public RedisMonitor(IConnectionMultiplexer connection, IDatabase db, RedisScripts scripts, Keyspace keys, RedisBrokerOptions options, IDeadLetterStore deadLetters)
    {
        _connection = connection;
        _db = db;
        _scripts = scripts;
        _keys = keys;
        _options = options;
        _group = options.ConsumerGroup;
        DeadLetters = deadLetters;
    }

    public IDeadLetterStore DeadLetters { get; }

    public async ValueTask<IReadOnlyList<string>> GetQueueNamesAsync(CancellationToken cancellationToken = default)
    {
        var members = await _db.SetMembersAsync(_keys.Queues).ConfigureAwait(false);
        var names = new List<string>(members.Length);
        foreach (var member in members)
        {
            var name = member.ToString();
            if (WireNames.IsValid(name))
            {
                names.Add(name);
            }
        }

        names.Sort(StringComparer.Ordinal);
        return names;
    }

    public async ValueTask<QueueInfo?> GetQueueAsync(string queue, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        if (!WireNames.IsValid(queue))
        {
            return null; // No message can ever have been sent to it.
        }

        var registered = _db.SetContainsAsync(_keys.Queues, queue);
        var stats = ReadAsync(queue);
        await Task.WhenAll(registered, stats).ConfigureAwait(false);
        var (info, exists) = await stats.ConfigureAwait(false);
        return await registered.ConfigureAwait(false) || exists ? info : null;
    }

    public async ValueTask<IReadOnlyList<QueueInfo>> GetQueuesAsync(CancellationToken cancellationToken = default)
    {
        var names = await GetQueueNamesAsync(cancellationToken).ConfigureAwait(false);
        var reads = new Task<(QueueInfo Info, bool Exists)>[names.Count];
        for (var i = 0; i < reads.Length; i++)
        {
            reads[i] = ReadAsync(names[i]);
        }

        await Task.WhenAll(reads).ConfigureAwait(false);
        var queues = new QueueInfo[reads.Length];
        for (var i = 0; i < queues.Length; i++)
        {
            queues[i] = (await reads[i].ConfigureAwait(false)).Info;
        }

        return queues;
    }

    public async ValueTask<IReadOnlyList<WorkerInfo>> GetWorkersAsync(CancellationToken cancellationToken = default)
    {
        var cutoff = NowMs() - (long)_options.ClaimIdleThreshold.TotalMilliseconds;
        var names = await _db.SortedSetRangeByScoreAsync(_keys.Workers, cutoff, double.PositiveInfinity).ConfigureAwait(false);
        var records = new Task<HashEntry[]>[names.Length];
        for (var i = 0; i < names.Length; i++)
        {
            records[i] = _db.HashGetAllAsync(_keys.Worker(names[i].ToString()));
        }

        await Task.WhenAll(records).ConfigureAwait(false);
        var workers = new List<WorkerInfo>(names.Length);
        for (var i = 0; i < names.Length; i++)
        {
            // A record that expired (or was never written by this version) is a worker that is gone.
            if (WorkerRecord.TryDecode(names[i].ToString(), await records[i].ConfigureAwait(false)) is { } worker)
            {
                workers.Add(worker);
            }
        }

        workers.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        return workers;
    }

    public async ValueTask<QueuePurgeResult> PurgeQueueAsync(string queue, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        var keys = _keys.For(queue);
        long waiting = 0, scheduled = 0;
        var first = true;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (removed, dueRemoved, more) = await _scripts.PurgeQueueAsync(keys, _group, PurgeBatch, withDue: first).ConfigureAwait(false);
            first = false;
            waiting += removed;
            scheduled += dueRemoved;
            if (!more)
            {
                return new QueuePurgeResult { Waiting = waiting, Scheduled = scheduled };
            }
        }
    }

    public async ValueTask<TimeSpan> PingAsync(CancellationToken cancellationToken = default)
    {
        // Every master: on a Cluster one unreachable node fails only its slots, which is still a broker in trouble.
        var pings = new List<Task<TimeSpan>>();
        foreach (var server in _connection.GetServers())
        {
            if (server.IsReplica)
            {
                continue;
            }

            if (!server.IsConnected)
            {
                // Asking would wait in the multiplexer's backlog for the whole command timeout.
                throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, $"Redis at {server.EndPoint} is not connected.");
            }

            pings.Add(server.PingAsync());
        }

        if (pings.Count == 0)
        {
            throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, "No Redis server is connected.");
        }

        var slowest = TimeSpan.Zero;
        foreach (var latency in await Task.WhenAll(pings).WaitAsync(cancellationToken).ConfigureAwait(false))
        {
            slowest = latency > slowest ? latency : slowest;
        }

        return slowest;
    }

    private async Task<(QueueInfo Info, bool Exists)> ReadAsync(string queue)
    {
        var now = _options.TimeProvider.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        var v = await _scripts.QueueStatsAsync(_keys.For(queue), _group, nowMs, nowMs - (long)_options.ClaimIdleThreshold.TotalMilliseconds)
            .ConfigureAwait(false);
        var (exists, length, pending, consumers, scheduled, scheduledDue, dead, ageMs) = (v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]);
        var info = new QueueInfo
        {
            Name = queue,
            Waiting = Math.Max(0, length - pending),
            Scheduled = scheduled,
            ScheduledDue = scheduledDue,
            InFlight = pending,
            DeadLetters = dead,
            Consumers = (int)consumers,
            OldestWaitingAge = ageMs < 0 ? null : TimeSpan.FromMilliseconds(ageMs),
            CapturedAt = now,
        };
        return (info, exists > 0);
    }

    private long NowMs() => _options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();
}
