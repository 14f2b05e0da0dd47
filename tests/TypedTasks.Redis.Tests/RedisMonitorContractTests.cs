using System;
using System.Threading.Tasks;
using TypedTasks.Redis.Tests.Infrastructure;

namespace TypedTasks.Redis.Tests;

/// <summary>The monitoring contract on Redis, on the real clock: the contract's delays are waited out.</summary>
public abstract class RedisMonitorContractTests(RedisTarget target) : MonitorContract
{
    protected override TimeProvider Time => TimeProvider.System;

    protected override ITaskBroker CreateBroker() => target.CreateBroker();

    protected override Task LetTimePassAsync(TimeSpan duration) => Task.Delay(duration);
}

[Collection(StandaloneCollection.Name)]
public sealed class StandaloneMonitorContractTests(StandaloneRedis redis) : RedisMonitorContractTests(redis);

[Collection(ClusterCollection.Name)]
public sealed class ClusterMonitorContractTests(ClusterRedis redis) : RedisMonitorContractTests(redis);
