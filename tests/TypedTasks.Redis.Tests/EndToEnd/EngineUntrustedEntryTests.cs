using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using StackExchange.Redis;
using TypedTasks.Redis.Internal;
using TypedTasks.Redis.Tests.Infrastructure;

namespace TypedTasks.Redis.Tests.EndToEnd;

/// <summary>
/// What a real worker does with entries that break the protocol's rules (docs/protocol.md), one rule per test: the
/// bad entry is dead-lettered with its reason, the good entries read with it run, nothing stays pending.
/// </summary>
public abstract class EngineUntrustedEntryTests(RedisTarget redis)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Headers_that_are_not_valid_utf8_dead_letter_their_entry_and_the_good_entries_read_with_it_all_run()
    {
        await using var broker = redis.CreateBroker();
        var keys = new QueueKeys(broker.Options.KeyPrefix, "e2e");
        var good = Enumerable.Range(0, 6).Select(i => "good-" + i).ToArray();

        // Written before any worker exists, so one read returns the bad entries together with the good ones.
        for (var i = 0; i < good.Length; i++)
        {
            await redis.Db.StreamAddAsync(keys.Stream, Entry(good[i], "e2e.add", """{"a":1,"b":2}"""));
            if (i == 2)
            {
                await redis.Db.StreamAddAsync(keys.Stream, [.. Entry("bad-key", "e2e.add", """{"a":1,"b":2}"""), new("h", Concat("{\"", [0xFF, 0xFE], "\":\"v\"}"))]);
                await redis.Db.StreamAddAsync(keys.Stream, [.. Entry("bad-value", "e2e.add", """{"a":1,"b":2}"""), new("h", Concat("{\"k\":\"", [0xC3], "\"}"))]);
            }
        }

        await using var workers = await EngineWorkers.StartAsync(broker, 1);

        foreach (var id in good)
        {
            var outcome = await broker.Results.WaitAsync(id, Wait);
            Assert.True(outcome is { Succeeded: true }, "no successful outcome for " + id);
        }

        var dead = await WaitForDeadLettersAsync(broker, 2);
        Assert.All(dead, d =>
        {
            Assert.Equal(DeadLetterReason.MalformedMessage, d.Error.Reason);
            Assert.Contains("'h'", d.Error.Message, StringComparison.Ordinal);
        });
        Assert.Equal(["bad-key", "bad-value"], dead.Select(d => d.RawFields!["id"]).Order());
        Assert.Equal(0, (await redis.Db.StreamPendingAsync(keys.Stream, broker.Options.ConsumerGroup)).PendingMessageCount);
    }

    [Fact]
    public async Task Ids_and_actor_names_that_break_the_protocol_are_dead_lettered_as_malformed_and_never_run()
    {
        await using var broker = redis.CreateBroker();
        var keys = new QueueKeys(broker.Options.KeyPrefix, "e2e");
        await using var workers = await EngineWorkers.StartAsync(broker, 1);

        RedisValue[] badIds =
        [
            new string('a', WireNames.MaxLength + 1),
            new string('i', 100_000),
            Concat("id-", [0xFF], ""),
            "with space",
            "{tag}",
            string.Empty,
        ];
        foreach (var id in badIds)
        {
            await redis.Db.StreamAddAsync(keys.Stream, Entry(id, "e2e.add", """{"a":1,"b":2}"""));
        }

        await redis.Db.StreamAddAsync(keys.Stream, Entry("bad-actor", "e2e add", """{"a":1,"b":2}"""));
        await redis.Db.StreamAddAsync(keys.Stream, Entry("longest-" + new string('x', WireNames.MaxLength - 8), "e2e.add", """{"a":1,"b":2}"""));
        await redis.Db.PublishAsync(keys.WakeChannel, string.Empty);

        var longest = await broker.Results.WaitAsync("longest-" + new string('x', WireNames.MaxLength - 8), Wait);
        Assert.True(longest is { Succeeded: true }, "an id of exactly the maximum length must run");

        var dead = await WaitForDeadLettersAsync(broker, badIds.Length + 1);
        Assert.All(dead, d => Assert.Equal(DeadLetterReason.MalformedMessage, d.Error.Reason));
        Assert.Equal(badIds.Length, dead.Count(d => d.Error.Message.Contains("'id'", StringComparison.Ordinal)));
        Assert.Single(dead, d => d.Error.Message.Contains("'actor'", StringComparison.Ordinal));
        Assert.Single(workers.Log.Attempts);
    }

    [Fact]
    public async Task The_client_refuses_a_task_id_or_queue_the_protocol_does_not_allow()
    {
        await using var broker = redis.CreateBroker();
        var client = new TaskClient(broker);

        var longId = await Assert.ThrowsAsync<ArgumentException>(async () =>
            await Tasks.EndToEndActors.Add.SendAsync(client, 1, 2, new SendOptions { TaskId = new string('a', WireNames.MaxLength + 1) }));
        Assert.Contains("at most 128", longId.Message, StringComparison.Ordinal);
        var badQueue = await Assert.ThrowsAsync<ArgumentException>(async () =>
            await Tasks.EndToEndActors.Add.SendAsync(client, 1, 2, new SendOptions { Queue = "{e2e}" }));
        Assert.Contains("queue name", badQueue.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(async () => await broker.SendAsync(new TaskMessage
        {
            Id = "has space",
            Actor = "e2e.add",
            Queue = "e2e",
            Arguments = Encoding.UTF8.GetBytes("""{"a":1,"b":2}"""),
            EnqueuedAt = DateTimeOffset.UtcNow,
        }));

        Assert.Equal(0, await redis.Db.StreamLengthAsync(new QueueKeys(broker.Options.KeyPrefix, "e2e").Stream));
    }

    [Fact]
    public async Task A_raw_entry_with_a_future_due_time_waits_until_then()
    {
        await using var broker = redis.CreateBroker();
        var keys = new QueueKeys(broker.Options.KeyPrefix, "e2e");
        await using var workers = await EngineWorkers.StartAsync(broker, 1);
        var due = DateTimeOffset.UtcNow.AddSeconds(2);

        await redis.Db.StreamAddAsync(keys.Stream, [.. Entry("later", "e2e.add", """{"a":40,"b":2}"""), new("due", due.ToUnixTimeMilliseconds())]);
        await redis.Db.StreamAddAsync(keys.Stream, Entry("now", "e2e.add", """{"a":1,"b":2}"""));
        await redis.Db.PublishAsync(keys.WakeChannel, string.Empty);

        Assert.True(await broker.Results.WaitAsync("now", Wait) is { Succeeded: true });
        var outcome = await broker.Results.WaitAsync("later", Wait);

        Assert.True(outcome is { Succeeded: true });
        var attempt = Assert.Single(workers.Log.Of("later"));
        // The same machine's clock stamped the due time and the start; a millisecond of rounding is all that differs.
        Assert.True(attempt.StartedAt >= due.AddMilliseconds(-1), $"started at {attempt.StartedAt:O}, due at {due:O}");
        Assert.Equal(0, await redis.Db.SortedSetLengthAsync(keys.Due));
    }

    [Fact]
    public async Task Requeueing_a_dead_letter_clears_the_failed_outcome_so_a_waiter_sees_the_new_run()
    {
        await using var broker = redis.CreateBroker();
        var client = new TaskClient(broker);
        var handle = await Tasks.EndToEndActors.Explode.SendAsync(client, "first run");
        await using (await EngineWorkers.StartAsync(broker, 1))
        {
            await Assert.ThrowsAsync<TaskFailedException>(() => handle.GetResultAsync(Wait));
        }

        var dead = Assert.Single(await broker.DeadLetters.ListAsync("e2e"));
        Assert.True(await broker.DeadLetters.RequeueAsync("e2e", dead.Id));

        // No worker runs now: the stale failure must already be gone.
        Assert.Null(await broker.Results.GetAsync(handle.Id));

        await using var workers = await EngineWorkers.StartAsync(broker, 1);
        var again = await Assert.ThrowsAsync<TaskFailedException>(() => handle.GetResultAsync(Wait));
        Assert.Equal("first run", again.Error.Message);
        Assert.Single(workers.Log.Of(handle.Id));
    }

    private static NameValueEntry[] Entry(RedisValue id, RedisValue actor, string args) =>
        [new("id", id), new("actor", actor), new("args", args), new("attempt", 1), new("enq", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())];

    private static byte[] Concat(string before, byte[] middle, string after) =>
        [.. Encoding.UTF8.GetBytes(before), .. middle, .. Encoding.UTF8.GetBytes(after)];

    private static async Task<IReadOnlyList<DeadLetter>> WaitForDeadLettersAsync(RedisBroker broker, int count)
    {
        await Eventually.UntilAsync(async () => (await broker.DeadLetters.ListAsync("e2e")).Count >= count, $"{count} entries were dead-lettered", Wait);
        var dead = await broker.DeadLetters.ListAsync("e2e");
        Assert.Equal(count, dead.Count);
        return dead;
    }
}

[Collection(StandaloneCollection.Name)]
public sealed class StandaloneEngineUntrustedEntryTests(StandaloneRedis redis) : EngineUntrustedEntryTests(redis);

[Collection(ClusterCollection.Name)]
public sealed class ClusterEngineUntrustedEntryTests(ClusterRedis redis) : EngineUntrustedEntryTests(redis);
