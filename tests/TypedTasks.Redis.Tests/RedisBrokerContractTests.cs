using System;
using System.Threading.Tasks;
using TypedTasks.Redis.Tests.Infrastructure;

namespace TypedTasks.Redis.Tests;

/// <summary>The broker contract on Redis, on the real clock: the contract's delays are waited out.</summary>
public abstract class RedisBrokerContractTests(RedisTarget target) : BrokerContract
{
    protected override TimeProvider Time => TimeProvider.System;

    protected override ITaskBroker CreateBroker() => target.CreateBroker();

    /// <summary>A broker with the same options on a multiplexer of its own, as another producer process has.</summary>
    protected override async Task<ITaskBroker> CreatePeerAsync(ITaskBroker broker) =>
        await RedisBroker.ConnectAsync(target.ConnectionString, ((RedisBroker)broker).Options);

    protected override Task LetTimePassAsync(TimeSpan duration) => Task.Delay(duration);
}

[Collection(StandaloneCollection.Name)]
public sealed class StandaloneBrokerContractTests(StandaloneRedis redis) : RedisBrokerContractTests(redis);

[Collection(ClusterCollection.Name)]
public sealed class ClusterBrokerContractTests(ClusterRedis redis) : RedisBrokerContractTests(redis);
