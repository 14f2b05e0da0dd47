using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TypedTasks.Hosting.Tests.Infrastructure;

namespace TypedTasks.Hosting.Tests;

/// <summary>
/// A host started before Redis: it waits (saying so), starts work once Redis arrives and stops when asked. Each test
/// points a host at a loopback port nobody listens on.
/// </summary>
public sealed class RedisStartupTests
{
    // Short client timeouts keep each failed attempt to about a second; the behaviour is the same with the defaults.
    private const string FastFailure = ",connectTimeout=1000,syncTimeout=1000,asyncTimeout=1000";

    // StackExchange.Redis retries its connection with a backoff of up to ten seconds, and the worker's own retry
    // adds its delay: give Redis's arrival generous room on a loaded machine.
    private static readonly TimeSpan s_arrivalTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_worker_started_before_Redis_waits_saying_so_and_starts_work_once_Redis_arrives()
    {
        var port = FreePort.Next();
        var logs = new CollectingLoggerProvider();
        var builder = TestHosts.CreateBuilder(new Dictionary<string, string?>
        {
            ["TypedTasks:Redis"] = "127.0.0.1:" + port + FastFailure,
            ["TypedTasks:KeyPrefix"] = "arrival",
        }, Environments.Production);
        builder.Logging.AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
        builder.Services.AddTypedTasks(Tasks.Registry, builder.Configuration.GetSection("TypedTasks")).UseRedis();
        using var host = builder.Build();
        await host.StartAsync();

        await logs.WaitForAsync("Redis at 127.0.0.1:" + port + " is not reachable yet", TestHosts.Timeout);
        var waiting = await logs.WaitForAsync("waiting for Redis at 127.0.0.1:" + port, TestHosts.Timeout);
        await logs.WaitForAsync("(attempt 2,", TestHosts.Timeout);
        await using (var redis = await StandaloneRedis.StartOnPortAsync(port))
        {
            var reached = await logs.WaitForAsync("reached Redis at 127.0.0.1:" + port, s_arrivalTimeout);
            await logs.WaitForAsync("Redis at 127.0.0.1:" + port + " reachable after", TestHosts.Timeout);
            var handle = await Tasks.HostingActors.Add.SendAsync(host.Services.GetRequiredService<ITaskClient>(), 40, 2);

            Assert.Equal(42, await handle.GetResultAsync(TestHosts.Timeout));
            // One readable line per state change; the exception itself only at Debug.
            Assert.Equal(LogLevel.Warning, waiting.Level);
            Assert.Null(waiting.Exception);
            Assert.DoesNotContain('\n', waiting.Message);
            Assert.Null(reached.Exception);
            Assert.Contains(logs.Entries, e => e.Level == LogLevel.Debug && e.Exception is not null);
            Assert.DoesNotContain(logs.Entries, e => e.Level >= LogLevel.Warning && e.Exception is not null);
            await host.StopAsync();
        }
    }

    [Fact]
    public async Task A_host_waiting_for_Redis_stops_promptly_when_asked()
    {
        var port = FreePort.Next();
        var logs = new CollectingLoggerProvider();
        var builder = TestHosts.CreateBuilder(new Dictionary<string, string?> { ["TypedTasks:Redis"] = "127.0.0.1:" + port + FastFailure });
        builder.Logging.AddProvider(logs);
        builder.Services.AddTypedTasks(Tasks.Registry, builder.Configuration.GetSection("TypedTasks")).UseRedis();
        using var host = builder.Build();
        await host.StartAsync();
        await logs.WaitForAsync("waiting for Redis", TestHosts.Timeout);

        var stopwatch = Stopwatch.StartNew();
        await host.StopAsync();

        // At most the one attempt in flight (a one-second client timeout here) is waited out.
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"stopping took {stopwatch.Elapsed}");
        Assert.Equal(0, Environment.ExitCode);
    }
}
