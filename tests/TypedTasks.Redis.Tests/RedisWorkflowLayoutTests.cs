using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using StackExchange.Redis;
using TypedTasks.Brokers;
using TypedTasks.Redis.Tests.Infrastructure;

namespace TypedTasks.Redis.Tests;

/// <summary>
/// Where a workflow lives on Redis: one hash, <c>P:wf:{ID}</c>, with an expiry that completing renews and finishing
/// sets, and no other key; on Cluster every script of a workflow is held to that key's slot by Redis itself. The
/// behaviour every store shares is <see cref="WorkflowStoreContract"/>'s.
/// </summary>
public abstract class RedisWorkflowLayoutTests(RedisTarget target)
{
    protected static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeMilliseconds(1_764_000_000_000);

    protected RedisTarget Target { get; } = target;

    [Fact]
    public async Task A_workflow_is_one_hash_named_by_its_id_whose_expiry_completing_renews_and_finishing_sets()
    {
        await using var broker = Target.CreateBroker();
        var store = broker.Workflows;
        var prefix = broker.Options.KeyPrefix;
        var id = "wf-" + TaskId.NewId();
        var key = $"{prefix}:wf:{{{id}}}";

        await store.CreateAsync(Draft(id, 3), TimeSpan.FromMinutes(10));
        await AssertExpiresWithinAsync(key, TimeSpan.FromMinutes(10));
        await store.GetStepsAsync(id, null);
        await store.GetStepsAsync(id, [2, 0]);
        await store.CompleteStepAsync(id, 0, new TaskOutcome(true, "1"u8.ToArray(), null, At), [2], TimeSpan.FromMinutes(30));
        await AssertExpiresWithinAsync(key, TimeSpan.FromMinutes(30));
        await store.CompleteStepAsync(id, 1, new TaskOutcome(false, default, new TaskError(DeadLetterReason.NonRetryable, "T", "m"), At), [2], TimeSpan.FromMinutes(30));
        await store.GetOutcomesAsync(id, [0, 1, 2]);
        await store.FinishAsync(id, new WorkflowFinalState(WorkflowState.Failed, 1, new TaskError(DeadLetterReason.NonRetryable, "T", "m")), TimeSpan.FromMinutes(5));
        await AssertExpiresWithinAsync(key, TimeSpan.FromMinutes(5));
        await store.GetSnapshotAsync(id);

        Assert.Equal([key], await KeysAsync(prefix));
        Assert.Equal(RedisType.Hash, await Target.Db.KeyTypeAsync(key));
        var fields = (await Target.Db.HashKeysAsync(key)).Select(f => (string)f!).Order(StringComparer.Ordinal);
        // f:2 exists because step 1 failed; no other step has a failure to count.
        Assert.Equal(["count", "f:2", "final", "n:0", "n:1", "n:2", "o:0", "o:1", "sum", "w:0", "w:1", "w:2"], fields);
    }

    [Fact]
    public async Task Calls_for_a_workflow_nothing_is_stored_under_write_nothing()
    {
        await using var broker = Target.CreateBroker();
        var store = broker.Workflows;
        var id = "wf-" + TaskId.NewId();

        await store.CompleteStepAsync(id, 0, new TaskOutcome(true, default, null, At), [1], TimeSpan.FromMinutes(1));
        await store.FinishAsync(id, new WorkflowFinalState(WorkflowState.Cancelled, -1, TaskError.ForCancellation()), TimeSpan.FromMinutes(1));
        await store.GetSnapshotAsync(id);
        await store.GetStepsAsync(id, null);

        Assert.Empty(await KeysAsync(broker.Options.KeyPrefix));
    }

    protected static WorkflowDraft Draft(string id, int steps) => new(
        id,
        Enumerable.Range(0, steps).Select(i => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes($"step {i}")).ToArray(),
        Enumerable.Range(0, steps).Select(i => i == steps - 1 ? steps - 1 : 0).ToArray(),
        "summary"u8.ToArray());

    /// <summary>Every key under <paramref name="prefix"/> on every master (tests only: the broker never scans).</summary>
    protected async Task<List<string>> KeysAsync(string prefix)
    {
        var keys = new List<string>();
        foreach (var server in Target.Connection.GetServers().Where(s => !s.IsReplica))
        {
            await foreach (var key in server.KeysAsync(pattern: prefix + ":*"))
            {
                keys.Add(key!);
            }
        }

        return keys;
    }

    private async Task AssertExpiresWithinAsync(string key, TimeSpan timeToLive)
    {
        var left = await Target.Db.KeyTimeToLiveAsync(key);
        Assert.NotNull(left);
        Assert.InRange(left.Value, timeToLive - TimeSpan.FromMinutes(1), timeToLive);
    }
}

[Collection(StandaloneCollection.Name)]
public sealed class StandaloneWorkflowLayoutTests(StandaloneRedis redis) : RedisWorkflowLayoutTests(redis);

[Collection(ClusterCollection.Name)]
public sealed class ClusterWorkflowLayoutTests(ClusterRedis redis) : RedisWorkflowLayoutTests(redis)
{
    [Fact]
    public async Task Every_script_of_a_workflow_is_held_to_its_slot_by_Redis_on_every_master()
    {
        await using var broker = Target.CreateBroker();
        var prefix = broker.Options.KeyPrefix;

        // The guard is real: on this Cluster a script that starts with '#!lua', as the workflow scripts do, may not
        // reach a key of another slot than its declared one, even one its node serves.
        var cluster = Target.Connection.GetServers().First(s => !s.IsReplica).ClusterConfiguration!;
        RedisKey declared = $"{prefix}:wf:{{x}}";
        var declaredSlot = Target.Connection.HashSlot(declared);
        var other = Enumerable.Range(0, 100_000).Select(i => $"{prefix}:other{i}").First(k =>
            Target.Connection.HashSlot(k) != declaredSlot && cluster.GetBySlot(k)!.EndPoint!.Equals(cluster.GetBySlot(declared)!.EndPoint));
        var refused = await Assert.ThrowsAsync<RedisServerException>(() => Target.Db.ScriptEvaluateAsync(
            "#!lua flags=no-writes\nreturn redis.call('GET', ARGV[1])", [declared], [other]));
        Assert.Contains("same slot", refused.Message, StringComparison.Ordinal);

        // Workflows whose slots lie on each of the three masters go through every script and read, and each one's
        // state is the one key in the slot of its id.
        var byMaster = new Dictionary<string, string>();
        while (byMaster.Count < 3)
        {
            var candidate = "wf-" + TaskId.NewId();
            var master = cluster.GetBySlot(Target.Connection.HashSlot($"{{{candidate}}}"))!.EndPoint!.ToString()!;
            byMaster.TryAdd(master, candidate);
        }

        var store = broker.Workflows;
        foreach (var id in byMaster.Values)
        {
            Assert.True(await store.CreateAsync(Draft(id, 4), TimeSpan.FromMinutes(1)));
            Assert.Equal(4, (await store.GetStepsAsync(id, null))!.Count);
            Assert.Equal(2, (await store.GetStepsAsync(id, [3, 1]))!.Count);
            Assert.True((await store.CompleteStepAsync(id, 0, new TaskOutcome(true, default, null, At), [3], TimeSpan.FromMinutes(1))).Found);
            Assert.Equal(3, (await store.GetOutcomesAsync(id, [0, 1, 2])).Count);
            Assert.NotNull(await store.FinishAsync(id, new WorkflowFinalState(WorkflowState.Cancelled, -1, TaskError.ForCancellation()), TimeSpan.FromMinutes(1)));
            Assert.NotNull(await store.GetSnapshotAsync(id));
        }

        var keys = await KeysAsync(prefix);
        Assert.Equal(byMaster.Values.Select(id => $"{prefix}:wf:{{{id}}}").Order(StringComparer.Ordinal), keys.Order(StringComparer.Ordinal));
        foreach (var id in byMaster.Values)
        {
            Assert.Equal(Target.Connection.HashSlot(id), Target.Connection.HashSlot($"{prefix}:wf:{{{id}}}"));
        }
    }
}
