using System;
using System.Linq;
using System.Threading.Tasks;
using StackExchange.Redis;
using TypedTasks.Redis.Tests.Infrastructure;

namespace TypedTasks.Redis.Tests;

/// <summary>A worker process re-reads the cancelled set after a reconnect, so an announcement it missed while cut off
/// is not lost.</summary>
public abstract class CancellationFeedTests(RedisTarget redis)
{
    [Fact]
    public async Task A_cancellation_announced_while_a_worker_was_cut_off_is_read_again_after_it_reconnects()
    {
        var name = "feed" + Guid.NewGuid().ToString("N")[..10];
        var options = new RedisBrokerOptions { KeyPrefix = "t" + Guid.NewGuid().ToString("N")[..10], PollInterval = TimeSpan.FromMilliseconds(250) };
        await using var broker = await RedisBroker.ConnectAsync(redis.ConnectionString + ",name=" + name, options);
        await using var consumer = await broker.CreateConsumerAsync(TestMessages.For(TestMessages.Queue()));
        var missed = TaskId.NewId();

        // What a cancel leaves when its announcement never reached this process: the id in the set, nothing heard.
        var expires = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeMilliseconds();
        await redis.Db.SortedSetAddAsync(options.KeyPrefix + ":cancelled", missed, expires);
        await Task.Delay(300);
        Assert.False(consumer.Cancellations!.Contains(missed));

        var killed = 0;
        foreach (var server in redis.Connection.GetServers())
        {
            var clients = (string)(await server.ExecuteAsync("CLIENT", "LIST"))!;
            foreach (var line in clients.Split('\n').Where(l => l.Contains(" name=" + name + " ", StringComparison.Ordinal)))
            {
                var id = line.Split(' ').First(f => f.StartsWith("id=", StringComparison.Ordinal))[3..];
                await server.ExecuteAsync("CLIENT", "KILL", "ID", id);
                killed++;
            }
        }

        Assert.True(killed > 0, "no connection of the worker's multiplexer was found to cut");
        await Eventually.UntilAsync(() => consumer.Cancellations.Contains(missed), "the worker re-read the cancelled set after reconnecting", TimeSpan.FromSeconds(20));
    }
}

[Collection(StandaloneCollection.Name)]
public sealed class StandaloneCancellationFeedTests(StandaloneRedis redis) : CancellationFeedTests(redis);

[Collection(ClusterCollection.Name)]
public sealed class ClusterCancellationFeedTests(ClusterRedis redis) : CancellationFeedTests(redis);
