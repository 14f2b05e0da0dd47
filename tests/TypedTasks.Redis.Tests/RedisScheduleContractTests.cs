using System;
using System.Threading.Tasks;
using StackExchange.Redis;
using TypedTasks.Redis.Tests.Infrastructure;

namespace TypedTasks.Redis.Tests;

/// <summary>The schedule contract on Redis: each "scheduler instance" has a connection of its own, as separate
/// processes would, over one key prefix.</summary>
public abstract class RedisScheduleContractTests(RedisTarget target) : ScheduleContract
{
    protected override async Task<ITaskBroker[]> CreateBrokersAsync(int count)
    {
        var prefix = "s" + Guid.NewGuid().ToString("N")[..10];
        var brokers = new ITaskBroker[count];
        for (var i = 0; i < count; i++)
        {
            brokers[i] = await RedisBroker.ConnectAsync(target.ConnectionString, new RedisBrokerOptions
            {
                KeyPrefix = prefix,
                PollInterval = TimeSpan.FromMilliseconds(250),
            });
        }

        return brokers;
    }
}

[Collection(StandaloneCollection.Name)]
public sealed class StandaloneScheduleContractTests(StandaloneRedis redis) : RedisScheduleContractTests(redis);

[Collection(ClusterCollection.Name)]
public sealed class ClusterScheduleContractTests(ClusterRedis redis) : RedisScheduleContractTests(redis);
