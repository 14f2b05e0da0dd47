using TypedTasks.Redis.Tests.Infrastructure;

namespace TypedTasks.Redis.Tests;

/// <summary>The workflow contract on Redis: real workers, real redis-server processes.</summary>
public abstract class RedisWorkflowContractTests(RedisTarget target) : WorkflowContract
{
    protected override ITaskBroker CreateBroker() => target.CreateBroker();
}

[Collection(StandaloneCollection.Name)]
public sealed class StandaloneWorkflowContractTests(StandaloneRedis redis) : RedisWorkflowContractTests(redis);

[Collection(ClusterCollection.Name)]
public sealed class ClusterWorkflowContractTests(ClusterRedis redis) : RedisWorkflowContractTests(redis);
