using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using StackExchange.Redis;
using TypedTasks.Redis.Internal;
using TypedTasks.Redis.Tests.Infrastructure;

namespace TypedTasks.Redis.Tests.EndToEnd;

/// <summary>Entries a foreign or broken producer wrote straight into the stream, consumed by a real worker.</summary>
public abstract class EngineBadInputTests(RedisTarget redis)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Each_kind_of_bad_entry_is_dead_lettered_with_its_reason_and_the_worker_keeps_consuming()
    {
        await using var broker = redis.CreateBroker(o => new RedisBrokerOptions
        {
            KeyPrefix = o.KeyPrefix,
            ClaimIdleThreshold = o.ClaimIdleThreshold,
            HeartbeatInterval = o.HeartbeatInterval,
            PollInterval = o.PollInterval,
            MaxPayloadBytes = 4096,
        });
        var client = new TaskClient(broker);
        await using var workers = await EngineWorkers.StartAsync(broker, 1);
        var stream = new QueueKeys(broker.Options.KeyPrefix, "e2e").Stream;
        var enqueued = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        NameValueEntry[] Entry(string id, string actor, string args) =>
            [new("id", id), new("actor", actor), new("args", args), new("attempt", 1), new("enq", enqueued)];

        var bad = new Dictionary<string, NameValueEntry[]>
        {
            ["missing-fields"] = [new("id", "missing-fields"), new("actor", "e2e.add"), new("args", """{"a":1,"b":2}""")],
            ["invalid-json"] = Entry("invalid-json", "e2e.add", """{"a":1,"b":"""),
            ["unknown-actor"] = Entry("unknown-actor", "e2e.nope", """{"a":1,"b":2}"""),
            ["wrong-type"] = Entry("wrong-type", "e2e.add", """{"a":"seven","b":2}"""),
            ["not-an-object"] = Entry("not-an-object", "e2e.summarize", """["totals",[1,2]]"""),
            ["missing-argument"] = Entry("missing-argument", "e2e.add", """{"a":1}"""),
            ["too-large"] = Entry("too-large", "e2e.add", "{\"a\":1,\"b\":2,\"padding\":\"" + new string('x', 8000) + "\"}"),
        };
        foreach (var entry in bad.Values)
        {
            await redis.Db.StreamAddAsync(stream, entry);
        }

        var good = await Tasks.EndToEndActors.Add.SendAsync(client, 2, 3);

        Assert.Equal(5, await good.GetResultAsync(Wait));

        // The bad entries were read before the good one, but run alongside it: wait for all of them to settle.
        await Eventually.UntilAsync(async () => (await broker.DeadLetters.ListAsync("e2e")).Count >= bad.Count, "every bad entry was dead-lettered", Wait);
        var dead = await broker.DeadLetters.ListAsync("e2e");

        var byId = dead.ToDictionary(d => d.Message?.Id ?? d.RawFields?["id"] ?? "?");
        Assert.Equal(bad.Keys.Order(), byId.Keys.Order());
        AssertDead(byId["missing-fields"], DeadLetterReason.MalformedMessage, "required fields");
        AssertDead(byId["invalid-json"], DeadLetterReason.InvalidArguments, "e2e.add", "not valid");
        AssertDead(byId["unknown-actor"], DeadLetterReason.UnknownActor, "'e2e.nope'");
        AssertDead(byId["wrong-type"], DeadLetterReason.InvalidArguments, "'a'", "e2e.add");
        AssertDead(byId["not-an-object"], DeadLetterReason.InvalidArguments, "JSON object");
        AssertDead(byId["missing-argument"], DeadLetterReason.InvalidArguments, "'b'");
        AssertDead(byId["too-large"], DeadLetterReason.TooLarge, "4096");

        // Undecodable entries are kept verbatim; decodable ones keep their envelope, so they can be fixed and requeued.
        Assert.Equal("""{"a":1,"b":2}""", byId["missing-fields"].RawFields?["args"]);
        Assert.Equal("e2e.nope", byId["unknown-actor"].Message?.Actor);

        // A caller waiting on a task that can never run fails at once with the reason instead of timing out.
        var waiting = Tasks.EndToEndActors.Add.Handle(new TaskHandle("wrong-type", "e2e.add", client));
        var failure = await Assert.ThrowsAsync<TaskFailedException>(() => waiting.GetResultAsync(Wait));
        Assert.Equal(DeadLetterReason.InvalidArguments, failure.Error.Reason);

        Assert.Equal(0, (await redis.Db.StreamPendingAsync(stream, broker.Options.ConsumerGroup)).PendingMessageCount);
        // Only entries with a known actor and a decodable envelope reach an actor; its argument reader rejects them.
        var rejected = workers.Log.Attempts.Where(a => a.TaskId != good.Id).ToList();
        Assert.Equal(["invalid-json", "missing-argument", "not-an-object", "wrong-type"], rejected.Select(a => a.TaskId).Order());
        Assert.All(rejected, a => Assert.IsType<TaskArgumentException>(a.Failure));
    }

    private static void AssertDead(DeadLetter dead, DeadLetterReason reason, params string[] messageParts)
    {
        Assert.Equal(reason, dead.Error.Reason);
        Assert.Equal("e2e", dead.Queue);
        foreach (var part in messageParts)
        {
            Assert.Contains(part, dead.Error.Message, StringComparison.Ordinal);
        }
    }
}

[Collection(StandaloneCollection.Name)]
public sealed class StandaloneEngineBadInputTests(StandaloneRedis redis) : EngineBadInputTests(redis);

[Collection(ClusterCollection.Name)]
public sealed class ClusterEngineBadInputTests(ClusterRedis redis) : EngineBadInputTests(redis);
