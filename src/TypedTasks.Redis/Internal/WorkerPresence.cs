using System;
using System.Threading.Tasks;
using StackExchange.Redis;

namespace TypedTasks.Redis.Internal;

/// <summary>
/// What monitoring sees of a live consumer: its record (<see cref="WorkerRecord"/>), its entry in the worker registry
/// and its queues in the queue registry, written by the consumer's heartbeat (every
/// <see cref="RedisBrokerOptions.HeartbeatInterval"/>), never per message. Five commands per beat, pipelined with the
/// heartbeat scripts; each touches one key, so none crosses Cluster slots.
/// </summary>
internal sealed class WorkerPresence(IDatabase db, Keyspace keys, RedisBrokerOptions options, string name, QueueState[] queues, Func<int>? runningCount)
{
    private readonly RedisKey _record = keys.Worker(name);
    private readonly string _queueList = string.Join(',', Array.ConvertAll(queues, static q => q.Keys.Queue));
    private readonly RedisValue[] _queueNames = Array.ConvertAll(queues, static q => (RedisValue)q.Keys.Queue);
    private readonly TimeSpan _lifetime = options.ClaimIdleThreshold;
    private long _startedMs = -1;

    public Task BeatAsync(long nowMs)
    {
        if (_startedMs < 0)
        {
            _startedMs = nowMs;
        }

        return Task.WhenAll(
            db.HashSetAsync(_record, WorkerRecord.Encode(_queueList, _startedMs, nowMs, Running())),
            db.KeyExpireAsync(_record, _lifetime),
            db.SortedSetAddAsync(keys.Workers, name, nowMs),
            // Entries of workers gone for longer than their record lives: the registry never grows without bound.
            db.SortedSetRemoveRangeByScoreAsync(keys.Workers, double.NegativeInfinity, nowMs - _lifetime.TotalMilliseconds, Exclude.Stop),
            // Re-added on every beat, so the registry comes back by itself after Redis lost its data.
            db.SetAddAsync(keys.Queues, _queueNames));
    }

    /// <summary>The consumer stopped: it leaves the worker registry at once instead of after its record expires.</summary>
    public Task LeaveAsync() => Task.WhenAll(db.KeyDeleteAsync(_record), db.SortedSetRemoveAsync(keys.Workers, name));

    private int Running()
    {
        if (runningCount is not null)
        {
            return runningCount();
        }

        var held = 0;
        foreach (var queue in queues)
        {
            held += queue.InFlight.Count;
        }

        return held;
    }
}
