using System.Collections.Generic;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;
using TypedTasks.Hosting.Tests.Infrastructure;
using TypedTasks.Redis;

namespace TypedTasks.Hosting.Tests;

public sealed class RedisHostTests(StandaloneRedis redis) : IClassFixture<StandaloneRedis>
{
    [Fact]
    public async Task Redis_setting_selects_the_Redis_broker_with_the_configured_key_prefix()
    {
        var builder = TestHosts.CreateBuilder(new Dictionary<string, string?>
        {
            ["TypedTasks:Redis"] = redis.ConnectionString,
            ["TypedTasks:KeyPrefix"] = "hostingtest",
        });
        builder.Services.AddTypedTasks(Tasks.Registry, builder.Configuration.GetSection("TypedTasks")).UseRedis();
        using var host = builder.Build();
        await host.StartAsync();

        var handle = await Tasks.HostingActors.Add.SendAsync(40, 2);

        Assert.IsType<RedisBroker>(host.Services.GetRequiredService<ITaskBroker>());
        Assert.Equal(42, await handle.GetResultAsync(TestHosts.Timeout));
        // The outcome really went through this Redis server, under the configured prefix.
        Assert.True(await redis.Connection.GetDatabase().KeyExistsAsync((RedisKey)("hostingtest:result:{" + handle.Id + "}")));
        await host.StopAsync();
    }

    [Fact]
    public async Task A_sender_host_without_worker_and_a_worker_host_share_work_through_Redis()
    {
        var settings = new Dictionary<string, string?>
        {
            ["TypedTasks:Redis"] = redis.ConnectionString,
            ["TypedTasks:KeyPrefix"] = "hostingpair",
        };
        var senderBuilder = TestHosts.CreateBuilder(settings);
        senderBuilder.Services.AddTypedTasks(Tasks.Registry, senderBuilder.Configuration.GetSection("TypedTasks")).UseRedis().WithoutWorker();
        using var sender = senderBuilder.Build();
        await sender.StartAsync();
        var client = sender.Services.GetRequiredService<ITaskClient>();
        var handle = await Tasks.HostingActors.Add.SendAsync(client, 1, 2);

        var workerBuilder = TestHosts.CreateBuilder(settings);
        workerBuilder.Services.AddTypedTasks(Tasks.Registry, workerBuilder.Configuration.GetSection("TypedTasks")).UseRedis();
        using var worker = workerBuilder.Build();
        await worker.StartAsync();

        Assert.Null(InMemoryHostTests.WorkerOf(sender));
        Assert.Equal(3, await handle.GetResultAsync(TestHosts.Timeout));
        await worker.StopAsync();
        await sender.StopAsync();
    }
}
