using System.Collections.Generic;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace TypedTasks.Redis.Internal;

/// <summary>
/// What a consumer does for its queues besides reading new entries: create the consumer group, promote due-later
/// messages, recover the deliveries of consumers that stopped heartbeating, and reap those consumers. The consumer's
/// read loop decides when each runs (docs/redis.md, "Reading"); this class only knows how.
/// </summary>
internal sealed class QueueMaintenance(IDatabase db, RedisScripts scripts, RedisBrokerOptions options, RedisValue group, RedisValue consumer)
{
    private readonly long _thresholdMs = (long)options.ClaimIdleThreshold.TotalMilliseconds;

    public async Task EnsureGroupAsync(QueueState queue)
    {
        try
        {
            // From "0", not "$": entries sent before the group existed (or after Redis lost it) are still delivered.
            await db.StreamCreateConsumerGroupAsync(queue.Keys.Stream, group, StreamPosition.Beginning, createStream: true).ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (RedisFailures.IsExistingGroup(ex))
        {
            // Another consumer was first.
        }
    }

    /// <summary>Moves every due message of <paramref name="queue"/> to its stream, a batch per script call.</summary>
    public async Task PromoteAsync(QueueState queue, long nowMs)
    {
        queue.LastPromotionMs = nowMs;
        while (true)
        {
            var (promoted, nextDue) = await scripts.PromoteAsync(queue.Keys, nowMs, options.PromoteBatchSize).ConfigureAwait(false);
            queue.SetNextDue(nextDue < 0 ? long.MaxValue : (long)nextDue);
            if (promoted < options.PromoteBatchSize || nextDue < 0 || nextDue > nowMs)
            {
                return;
            }
        }
    }

    /// <summary>
    /// Claims up to <paramref name="max"/> deliveries idle longer than the threshold (crash recovery) and returns them
    /// with their delivery counts, leaving out this consumer's own in-flight deliveries.
    /// </summary>
    public async Task<(StreamEntry[] Entries, List<int> Deliveries)> RecoverAsync(QueueState queue, int max)
    {
        var claim = await db.StreamAutoClaimAsync(queue.Keys.Stream, group, consumer, _thresholdMs, queue.RecoveryCursor, max).ConfigureAwait(false);
        queue.RecoveryCursor = claim.NextStartId.IsNullOrEmpty ? (RedisValue)"0-0" : claim.NextStartId;
        var claimed = claim.ClaimedEntries;
        if (claimed is not { Length: > 0 })
        {
            return ([], []);
        }

        // XAUTOCLAIM counted this delivery; XPENDING tells how many there were in all.
        var pending = await db.StreamPendingMessagesAsync(
            queue.Keys.Stream, group, claimed.Length + queue.InFlight.Count + 16, consumer, claimed[0].Id, claimed[^1].Id).ConfigureAwait(false);
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

            options.Logger.LogInformation("Consumer {Consumer} recovered entry {Entry} of queue {Queue}.", (string?)consumer, entry.Id, queue.Keys.Queue);
            recovered.Add(entry);
            deliveries.Add(delivered);
        }

        return ([.. recovered], deliveries);
    }

    /// <summary>Removes consumers of <paramref name="queue"/> silent for longer than the threshold that hold nothing.</summary>
    public Task ReapAsync(QueueState queue, long nowMs) => scripts.ReapAsync(queue.Keys, group, nowMs - _thresholdMs);
}
