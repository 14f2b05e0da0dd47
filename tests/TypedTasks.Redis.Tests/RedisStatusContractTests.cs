using System;
using System.Threading.Tasks;
using TypedTasks.Redis.Tests.Infrastructure;

namespace TypedTasks.Redis.Tests;

/// <summary>The status contract on Redis, on the real clock: the contract's delays are waited out.</summary>
public abstract class RedisStatusContractTests(RedisTarget target) : StatusContract
{
    protected override TimeProvider Time => TimeProvider.System;

    protected override ITaskBroker CreateBroker() => target.CreateBroker();

    protected override Task LetTimePassAsync(TimeSpan duration) => Task.Delay(duration);
}

[Collection(StandaloneCollection.Name)]
public sealed class StandaloneStatusContractTests(StandaloneRedis redis) : RedisStatusContractTests(redis);

[Collection(ClusterCollection.Name)]
public sealed class ClusterStatusContractTests(ClusterRedis redis) : RedisStatusContractTests(redis);
