using System;
using System.Linq;
using System.Threading.Tasks;
using StackExchange.Redis;
using TypedTasks.Redis.Internal;

namespace TypedTasks.Redis.Tests.EndToEnd;

/// <summary>
/// Redis restarting under a running workflow (a single server, or the Cluster master owning the workflow's hash, where
/// every hand-over records its step): with append-only persistence, the workflow completes with the right result and
/// every step ran. The test owns its servers, because it restarts one.
/// </summary>
public abstract class WorkflowRestartTests
{
    [Fact]
    public async Task A_fan_out_workflow_completes_when_Redis_restarts_mid_run_with_append_only_persistence()
    {
        await using var redis = await StartOwnAsync("--appendonly", "yes", "--appendfsync", "always");
        var broker = await RedisBroker.ConnectAsync(redis.ConnectionString, new RedisBrokerOptions
        {
            KeyPrefix = "wfrestart",
            ClaimIdleThreshold = TimeSpan.FromMilliseconds(1500),
            HeartbeatInterval = TimeSpan.FromMilliseconds(300),
            PollInterval = TimeSpan.FromMilliseconds(250),
        });
        await using var rig = await WorkflowRig.StartAsync(broker, workers: 2, concurrency: 4);
        const int members = 300;
        var handle = await Workflow.Group(Enumerable.Range(1, members).Select(i => rig.SlowAdd($"m{i}", i, 20)))
            .Then(rig.Sum("sum")).Then(rig.AddTo("last", 1)).SendAsync(rig.Client);

        await Eventually.UntilAsync(() => rig.Runs.Count >= 40, "some members ran", TimeSpan.FromSeconds(20));
        var ranBeforeRestart = rig.Runs.Count;
        await redis.RestartServerHoldingAsync(new Keyspace(broker.Options.KeyPrefix, null).Workflow(handle.Id), TimeSpan.FromMilliseconds(500));

        Assert.True(ranBeforeRestart < members, $"all {members} members ran before the restart began: nothing was tested");
        Assert.Equal(members * (members + 1) / 2 + 1, await ResultThroughReconnectAsync(handle));
        Assert.All(Enumerable.Range(1, members), i => Assert.True(rig.RunsOf($"m{i}") >= 1, $"member {i} never ran"));
        Assert.True(rig.RunsOf("sum") >= 1 && rig.RunsOf("last") >= 1);
        Assert.Equal(WorkflowState.Succeeded, (await handle.GetWorkflowStatusAsync()).State);
    }

    /// <summary>Starts servers of the test's own; the arguments are given to every server.</summary>
    protected abstract Task<RedisTarget> StartOwnAsync(params string[] serverArguments);

    private static async Task<int> ResultThroughReconnectAsync(WorkflowHandle<int> handle)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            try
            {
                return await handle.GetResultAsync(TimeSpan.FromSeconds(60));
            }
            catch (RedisException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100); // the multiplexer is still reconnecting
            }
        }
    }
}

public sealed class StandaloneWorkflowRestartTests : WorkflowRestartTests
{
    protected override async Task<RedisTarget> StartOwnAsync(params string[] serverArguments) => await StandaloneRedis.StartOwnAsync(serverArguments);
}

public sealed class ClusterWorkflowRestartTests : WorkflowRestartTests
{
    protected override async Task<RedisTarget> StartOwnAsync(params string[] serverArguments) => await ClusterRedis.StartOwnAsync(serverArguments);
}
