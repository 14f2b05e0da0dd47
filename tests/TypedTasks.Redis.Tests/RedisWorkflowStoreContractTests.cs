using System;
using System.Threading.Tasks;
using TypedTasks.Redis.Tests.Infrastructure;

namespace TypedTasks.Redis.Tests;

/// <summary>The workflow store contract on Redis, on the real clock: the contract's times to live are waited out.</summary>
public abstract class RedisWorkflowStoreContractTests(RedisTarget target) : WorkflowStoreContract
{
    protected override ITaskBroker CreateBroker() => target.CreateBroker();

    /// <summary>A broker with the same options on a multiplexer of its own, as another worker process has.</summary>
    protected override async Task<ITaskBroker> CreatePeerAsync(ITaskBroker broker) =>
        await RedisBroker.ConnectAsync(target.ConnectionString, ((RedisBroker)broker).Options);

    protected override Task LetTimePassAsync(TimeSpan duration) => Task.Delay(duration);
}

[Collection(StandaloneCollection.Name)]
public sealed class StandaloneWorkflowStoreContractTests(StandaloneRedis redis) : RedisWorkflowStoreContractTests(redis);

[Collection(ClusterCollection.Name)]
public sealed class ClusterWorkflowStoreContractTests(ClusterRedis redis) : RedisWorkflowStoreContractTests(redis);
