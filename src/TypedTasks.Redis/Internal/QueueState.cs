using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;
using StackExchange.Redis;

namespace TypedTasks.Redis.Internal;

/// <summary>What one consumer tracks about one of its queues.</summary>
internal sealed class QueueState
{
    private long _nextDueMs;

    public QueueState(QueueKeys keys, Func<QueueState, RedisValue[], Task> acknowledge)
    {
        Keys = keys;
        Acks = new AckBatcher(ids => acknowledge(this, ids));
    }

    public QueueKeys Keys { get; }

    /// <summary>Acknowledgements of this queue, coalesced.</summary>
    public AckBatcher Acks { get; }

    /// <summary>Entries handed to the caller and not yet finished; their claims are refreshed by the heartbeat.</summary>
    public ConcurrentDictionary<string, byte> InFlight { get; } = new();

    /// <summary>Where the next XAUTOCLAIM scan continues.</summary>
    public RedisValue RecoveryCursor { get; set; } = "0-0";

    /// <summary>When this consumer last ran the promotion script for the queue (ms).</summary>
    public long LastPromotionMs { get; set; }

    /// <summary>Earliest known due time in the due-later set (ms); long.MaxValue when none is known.</summary>
    public long NextDueMs => Volatile.Read(ref _nextDueMs);

    public void SetNextDue(long dueMs) => Volatile.Write(ref _nextDueMs, dueMs);

    /// <summary>Lowers the next due time (a wake-up announced an earlier one); never raises it.</summary>
    public void OfferDue(long dueMs)
    {
        var current = Volatile.Read(ref _nextDueMs);
        while (dueMs < current)
        {
            var seen = Interlocked.CompareExchange(ref _nextDueMs, dueMs, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
