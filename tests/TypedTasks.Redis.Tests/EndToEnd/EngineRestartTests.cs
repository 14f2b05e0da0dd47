using System;
using System.Linq;
using System.Threading.Tasks;
using StackExchange.Redis;
using TypedTasks.Redis.Internal;
using TypedTasks.Redis.Tests.Infrastructure;

namespace TypedTasks.Redis.Tests.EndToEnd;

/// <summary>
/// Redis restarting under running workers: a single server, or the Cluster master owning the queue. The test owns its
/// servers, because it restarts one.
/// </summary>
public abstract class EngineRestartTests
{
    [Fact]
    public async Task Every_task_completes_when_Redis_restarts_mid_run_with_append_only_persistence()
    {
        await using var redis = await StartOwnAsync("--appendonly", "yes", "--appendfsync", "always");
        await using var broker = await RedisBroker.ConnectAsync(redis.ConnectionString, new RedisBrokerOptions
        {
            KeyPrefix = "restart",
            ClaimIdleThreshold = TimeSpan.FromMilliseconds(1500),
            HeartbeatInterval = TimeSpan.FromMilliseconds(300),
            PollInterval = TimeSpan.FromMilliseconds(250),
        });
        var client = new TaskClient(broker);
        var probe = Probe.Create();
        const int count = 300;
        var handles = await client.SendManyAsync([.. Enumerable.Range(0, count).Select(i => Tasks.EndToEndActors.Hold.Message(probe.Key, i, 5))]);
        await using var workers = await EngineWorkers.StartAsync(broker, 2, o => o.Concurrency = 2);

        await probe.WaitForDistinctRunsAsync(40, TimeSpan.FromSeconds(20));
        await redis.RestartServerHoldingAsync(new QueueKeys(broker.Options.KeyPrefix, "e2e").Stream, TimeSpan.FromMilliseconds(500));

        await probe.WaitForDistinctRunsAsync(count, TimeSpan.FromSeconds(60));
        var missing = 0;
        foreach (var handle in handles)
        {
            var outcome = await WaitThroughReconnectAsync(broker, handle.Id);
            missing += outcome is { Succeeded: true } ? 0 : 1;
        }

        Assert.True(missing == 0, $"{missing} of {count} tasks have no successful result");
        Assert.All(Enumerable.Range(0, count), item => Assert.True(probe.RunsOf(item) >= 1));
    }

    /// <summary>Starts servers of the test's own; the arguments are given to every server.</summary>
    protected abstract Task<RedisTarget> StartOwnAsync(params string[] serverArguments);

    private static async Task<TaskOutcome?> WaitThroughReconnectAsync(RedisBroker broker, string taskId)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                return await broker.Results.WaitAsync(taskId, TimeSpan.FromSeconds(30));
            }
            catch (RedisException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100); // the multiplexer is still reconnecting
            }
        }
    }
}

public sealed class StandaloneEngineRestartTests : EngineRestartTests
{
    protected override async Task<RedisTarget> StartOwnAsync(params string[] serverArguments) => await StandaloneRedis.StartOwnAsync(serverArguments);
}

public sealed class ClusterEngineRestartTests : EngineRestartTests
{
    protected override async Task<RedisTarget> StartOwnAsync(params string[] serverArguments) => await ClusterRedis.StartOwnAsync(serverArguments);
}
