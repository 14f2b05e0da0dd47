using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using TypedTasks.Hosting.Tests.Infrastructure;

namespace TypedTasks.Hosting.Tests;

/// <summary>
/// The in-memory broker is used only when chosen (or in Development): a production host whose Redis setting is missing
/// (a typo in an environment variable is enough) must not accept tasks that no worker will ever see.
/// </summary>
public sealed class BrokerChoiceTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_production_host_without_a_Redis_setting_fails_to_start_and_names_the_setting(bool sendOnly)
    {
        // The typo: TypedTask__Redis instead of TypedTasks__Redis leaves TypedTasks:Redis unset.
        var builder = TestHosts.CreateBuilder(new Dictionary<string, string?> { ["TypedTask:Redis"] = "localhost:6379" }, Environments.Production);
        var tasks = builder.Services.AddTypedTasks(Tasks.Registry, builder.Configuration.GetSection("TypedTasks")).UseRedis();
        if (sendOnly)
        {
            tasks.WithoutWorker();
        }

        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());
        Assert.Contains("TypedTasks:Redis", error.Message, StringComparison.Ordinal);
        Assert.Contains("TypedTasks__Redis", error.Message, StringComparison.Ordinal);
        Assert.Contains("TypedTasks:Broker", error.Message, StringComparison.Ordinal);
        Assert.Contains("Production", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("InMemory")]
    [InlineData("inmemory")]
    public async Task The_Broker_setting_InMemory_chooses_the_in_memory_broker_in_production(string value)
    {
        var builder = TestHosts.CreateBuilder(new Dictionary<string, string?> { ["TypedTasks:Broker"] = value }, Environments.Production);
        builder.Services.AddTypedTasks(Tasks.Registry, builder.Configuration.GetSection("TypedTasks")).UseRedis();
        using var host = builder.Build();
        await host.StartAsync();

        var handle = await Tasks.HostingActors.Add.SendAsync(1, 2);

        Assert.IsType<InMemoryBroker>(host.Services.GetRequiredService<ITaskBroker>());
        Assert.Equal(3, await handle.GetResultAsync(TestHosts.Timeout));
        await host.StopAsync();
    }

    [Fact]
    public async Task UseInMemoryBroker_chooses_the_in_memory_broker_in_production_whatever_configuration_says()
    {
        var builder = TestHosts.CreateBuilder(new Dictionary<string, string?> { ["TypedTasks:Redis"] = "127.0.0.1:1" }, Environments.Production);
        builder.Services.AddTypedTasks(Tasks.Registry, builder.Configuration.GetSection("TypedTasks")).UseRedis().UseInMemoryBroker();
        using var host = builder.Build();
        await host.StartAsync();

        Assert.IsType<InMemoryBroker>(host.Services.GetRequiredService<ITaskBroker>());
        await host.StopAsync();
    }

    [Fact]
    public async Task A_development_host_without_a_Redis_setting_uses_the_in_memory_broker_and_says_so()
    {
        var logs = new CollectingLoggerProvider();
        var builder = TestHosts.CreateBuilder(null, Environments.Development);
        builder.Logging.AddProvider(logs);
        builder.Services.AddTypedTasks(Tasks.Registry, builder.Configuration.GetSection("TypedTasks")).UseRedis();
        using var host = builder.Build();
        await host.StartAsync();

        Assert.IsType<InMemoryBroker>(host.Services.GetRequiredService<ITaskBroker>());
        var line = await logs.WaitForAsync("in-memory broker", TestHosts.Timeout);
        Assert.Contains("Development", line.Message, StringComparison.Ordinal);
        await host.StopAsync();
    }

    [Fact]
    public async Task Broker_InMemory_next_to_a_Redis_setting_is_a_contradiction_that_fails_the_start()
    {
        var builder = TestHosts.CreateBuilder(new Dictionary<string, string?>
        {
            ["TypedTasks:Broker"] = "InMemory",
            ["TypedTasks:Redis"] = "127.0.0.1:1",
        });
        builder.Services.AddTypedTasks(Tasks.Registry, builder.Configuration.GetSection("TypedTasks")).UseRedis();
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());
        Assert.Contains("TypedTasks:Broker", error.Message, StringComparison.Ordinal);
        Assert.Contains("TypedTasks:Redis", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Broker_Redis_without_a_Redis_setting_fails_even_in_development()
    {
        var builder = TestHosts.CreateBuilder(new Dictionary<string, string?> { ["TypedTasks:Broker"] = "Redis" });
        builder.Services.AddTypedTasks(Tasks.Registry, builder.Configuration.GetSection("TypedTasks")).UseRedis();
        using var host = builder.Build();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());
        Assert.Contains("TypedTasks:Redis", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_misspelt_Broker_value_fails_the_start_naming_the_setting()
    {
        var builder = TestHosts.CreateBuilder(new Dictionary<string, string?> { ["TypedTasks:Broker"] = "InMemroy" });
        builder.Services.AddTypedTasks(Tasks.Registry, builder.Configuration.GetSection("TypedTasks")).UseRedis();

        // The binder refuses it as soon as anything reads the options (here already while the host is built).
        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            using var host = builder.Build();
            await host.StartAsync();
        });
        Assert.Contains("TypedTasks:Broker", error.Message, StringComparison.Ordinal);
    }
}
