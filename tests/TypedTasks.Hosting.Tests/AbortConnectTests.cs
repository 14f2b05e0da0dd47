using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using TypedTasks.Hosting.Tests.Infrastructure;

namespace TypedTasks.Hosting.Tests;

/// <summary>
/// <c>abortConnect=</c> in <c>TypedTasks:Redis</c> is the user's choice: by default the host starts and keeps
/// reconnecting, but an explicit <c>abortConnect=true</c> with Redis down fails the start.
/// </summary>
public sealed class AbortConnectTests
{
    [Fact]
    public async Task An_explicit_abortConnect_true_with_Redis_down_fails_the_host_start_and_says_why()
    {
        var port = FreePort.Next();
        var builder = TestHosts.CreateBuilder(new Dictionary<string, string?>
        {
            ["TypedTasks:Redis"] = "127.0.0.1:" + port + ",abortConnect=true,connectTimeout=1000",
        });
        builder.Services.AddTypedTasks(Tasks.Registry, builder.Configuration.GetSection("TypedTasks")).UseRedis();
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());
        Assert.Contains("abortConnect=true", error.Message, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:" + port, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_explicit_abortConnect_true_with_Redis_up_works_as_usual()
    {
        await using var redis = await StandaloneRedis.StartOnPortAsync(FreePort.Next());
        var builder = TestHosts.CreateBuilder(new Dictionary<string, string?>
        {
            ["TypedTasks:Redis"] = redis.ConnectionString + ",abortConnect=true",
        });
        builder.Services.AddTypedTasks(Tasks.Registry, builder.Configuration.GetSection("TypedTasks")).UseRedis();
        using var host = builder.Build();
        await host.StartAsync();

        var handle = await Tasks.HostingActors.Add.SendAsync(2, 3);

        Assert.Equal(5, await handle.GetResultAsync(TestHosts.Timeout));
        await host.StopAsync();
    }
}
