using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using StackExchange.Redis;
using TypedTasks.Redis.Internal;
using TypedTasks.Redis.Tests.EndToEnd;
using TypedTasks.Redis.Tests.Infrastructure;

namespace TypedTasks.Redis.Tests.Fuzzing;

/// <summary>
/// The whole consume path under fire: seeded random and adversarial entries (<see cref="EntryFuzzer"/>) are written
/// straight into a queue's stream while good tasks flow through real workers. Whatever the bytes, every entry must be
/// accounted for: run once, dead-lettered with a reason (undecodable ones with their raw fields), or waiting in the
/// due-later set for a far-future <c>due</c>. Every good task runs once, nothing stays pending, the workers live on.
/// </summary>
/// <remarks>
/// CI runs <see cref="DefaultEntries"/> entries with a fresh seed per run; the seed is printed on failure. A longer run:
/// <c>TYPEDTASKS_FUZZ_ENTRIES=20000 TYPEDTASKS_FUZZ_SEED=123 dotnet test --filter EngineFuzz</c>.
/// </remarks>
public abstract class EngineFuzzTests(RedisTarget redis)
{
    private const int DefaultEntries = 400;
    private const int MaxPayloadBytes = 64 * 1024;

    private static readonly DeadLetterReason[] EntryReasons =
        [DeadLetterReason.MalformedMessage, DeadLetterReason.TooLarge, DeadLetterReason.UnknownActor, DeadLetterReason.InvalidArguments];

    [Fact]
    public async Task Every_injected_entry_is_run_or_dead_lettered_or_scheduled_and_every_good_task_runs_once()
    {
        var seed = Setting("TYPEDTASKS_FUZZ_SEED") ?? Random.Shared.Next();
        var entries = Setting("TYPEDTASKS_FUZZ_ENTRIES") ?? DefaultEntries;
        try
        {
            await RunAsync(seed, entries);
        }
        catch (Exception ex)
        {
            throw new Xunit.Sdk.XunitException(
                $"Fuzz run with seed {seed} and {entries} entries failed (repeat it with TYPEDTASKS_FUZZ_SEED={seed} TYPEDTASKS_FUZZ_ENTRIES={entries}): {ex.Message}",
                ex);
        }
    }

    private async Task RunAsync(int seed, int count)
    {
        // One worker, and a claim threshold long enough that a loaded machine's pauses never look like a crash: crash
        // recovery would legitimately run an entry twice (at-least-once), and this accounting counts runs exactly.
        await using var broker = redis.CreateBroker(o => new RedisBrokerOptions
        {
            KeyPrefix = o.KeyPrefix,
            ClaimIdleThreshold = TimeSpan.FromSeconds(20),
            HeartbeatInterval = TimeSpan.FromSeconds(1),
            PollInterval = o.PollInterval,
            MaxPayloadBytes = MaxPayloadBytes,
            // The accounting counts dead letters: none may be trimmed, however long the run.
            DeadLetterMaxLength = 10_000_000,
        });
        var client = new TaskClient(broker);
        await using var workers = await EngineWorkers.StartAsync(broker, 1, FuzzWorkerOptions);
        var keys = new QueueKeys(broker.Options.KeyPrefix, "e2e");
        var fuzzer = new EntryFuzzer(seed, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());

        var injected = new Dictionary<string, NameValueEntry[]>(StringComparer.Ordinal);
        var good = new List<TaskHandle<int>>();
        for (var i = 0; i < count; i++)
        {
            var entry = fuzzer.Next();
            var id = await redis.Db.StreamAddAsync(keys.Stream, entry);
            injected.Add(id.ToString(), entry);
            if (i % 10 == 9)
            {
                await redis.Db.PublishAsync(keys.WakeChannel, string.Empty);
            }

            if (i % 3 == 0)
            {
                good.Add(await Tasks.EndToEndActors.Add.SendAsync(client, i, 1));
            }
        }

        // Every good task completes, each exactly once, whatever was read around it.
        var goodIds = good.Select(h => h.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var handle in good)
        {
            await handle.GetResultAsync(TimeSpan.FromSeconds(60));
        }

        // Settle: every injected entry ran, was dead-lettered, or waits for a far-future due time.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        Accounting tally;
        while (!(tally = await TallyAsync(keys, broker.Options.ConsumerGroup, workers.Log, goodIds)).Settled(count) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        var twice = workers.Log.Attempts.Where(a => a.Failure is null).GroupBy(a => a.TaskId).Where(g => g.Count() > 1)
            .Select(g => g.Key + " (deliveries " + string.Join(",", g.Select(a => a.DeliveryCount)) + ")").Take(5);
        Assert.True(
            tally.Settled(count),
            $"Not every entry is accounted for after 60 s: {tally} of {count} injected; ran more than once: [{string.Join("; ", twice)}].");

        var starts = workers.Log.StartsPerTask();
        Assert.All(goodIds, id => Assert.Equal(1, starts.GetValueOrDefault(id)));

        // Dead letters: a known reason, a message, and the raw fields of an undecodable entry kept byte for byte.
        foreach (var dead in await redis.Db.StreamRangeAsync(keys.DeadLetters))
        {
            var reason = Enum.Parse<DeadLetterReason>(dead.Values[0].Value.ToString());
            Assert.Contains(reason, EntryReasons);
            Assert.False(dead.Values[2].Value.IsNullOrEmpty, "a dead letter without a message");
            var source = dead.Values[5].Value.ToString();
            if (reason is DeadLetterReason.MalformedMessage or DeadLetterReason.TooLarge && injected.TryGetValue(source, out var original)
                && original.Length <= 256)
            {
                var kept = dead.Values.AsSpan(Fields.DeadLetterMetadataPairs).ToArray();
                Assert.Equal(original.Select(f => ((byte[])f.Name!, (byte[])f.Value!)), kept.Select(f => ((byte[])f.Name!, (byte[])f.Value!)));
            }
        }

        // Only far-future tasks wait, and nothing is left in the stream or pending.
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        foreach (var waiting in await redis.Db.SortedSetRangeByRankWithScoresAsync(keys.Due))
        {
            Assert.True(waiting.Score > now + 3_600_000, "a due-later entry that should have run: score " + waiting.Score.ToString(CultureInfo.InvariantCulture));
        }

        Assert.Equal(0, await redis.Db.StreamLengthAsync(keys.Stream));
        Assert.Equal(0, (await redis.Db.StreamPendingAsync(keys.Stream, broker.Options.ConsumerGroup)).PendingMessageCount);

        // The workers are alive and still consuming.
        var after = await Tasks.EndToEndActors.Add.SendAsync(client, 20, 22);
        Assert.Equal(42, await after.GetResultAsync(TimeSpan.FromSeconds(20)));
    }

    /// <summary>Unknown actors are dead-lettered at once here: the fuzz run has no rolling deploy to wait for.</summary>
    protected virtual void FuzzWorkerOptions(WorkerOptions options)
    {
        options.UnknownActorMaxRetries = 0;
    }

    private async Task<Accounting> TallyAsync(QueueKeys keys, string group, AttemptLog log, HashSet<string> goodIds)
    {
        var ran = log.Attempts.Count(a => a.Failure is null && !goodIds.Contains(a.TaskId));
        var dead = await redis.Db.StreamLengthAsync(keys.DeadLetters);
        var waiting = await redis.Db.SortedSetLengthAsync(keys.Due, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + 3_600_000);
        var pending = (await redis.Db.StreamPendingAsync(keys.Stream, group)).PendingMessageCount;
        return new Accounting(ran, dead, waiting, pending);
    }

    private static int? Setting(string name) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;

    private sealed record Accounting(int Ran, long DeadLettered, long Scheduled, long Pending)
    {
        public bool Settled(int injected) => Ran + DeadLettered + Scheduled == injected && Pending == 0;
    }
}

[Collection(StandaloneCollection.Name)]
public sealed class StandaloneEngineFuzzTests(StandaloneRedis redis) : EngineFuzzTests(redis);

[Collection(ClusterCollection.Name)]
public sealed class ClusterEngineFuzzTests(ClusterRedis redis) : EngineFuzzTests(redis);
