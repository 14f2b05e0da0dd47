using System.Threading.Tasks;
using Hangfire;
using Hangfire.Redis.StackExchange;
using StackExchange.Redis;

namespace HangfireCompare;

/// <summary>The one Hangfire configuration both the producer and the worker process use.</summary>
internal static class HangfireSetup
{
    /// <summary>All of this tool's keys live under this prefix, so a run can clear them on a shared Redis.</summary>
    public const string Prefix = "{hangfire-compare}:";

    public const string Queue = "default";

    /// <summary>The settings Hangfire's documentation recommends for new 1.8 applications.</summary>
    public static void UseRedis(string redis)
    {
        GlobalConfiguration.Configuration
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseRedisStorage(redis, new RedisStorageOptions { Prefix = Prefix });
    }

    /// <summary>Removes every key of this tool, like BullMQ's obliterate, so each workload starts empty.</summary>
    public static async Task ClearAsync(string redis)
    {
        using ConnectionMultiplexer connection = await ConnectionMultiplexer.ConnectAsync(redis + ",allowAdmin=true");
        IDatabase database = connection.GetDatabase();
        foreach (IServer server in connection.GetServers())
        {
            await foreach (RedisKey key in server.KeysAsync(pattern: Prefix + "*", pageSize: 1000))
            {
                await database.KeyDeleteAsync(key, CommandFlags.FireAndForget);
            }
        }

        await database.PingAsync();
    }
}
