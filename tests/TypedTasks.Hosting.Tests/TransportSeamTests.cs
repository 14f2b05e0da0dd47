using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TypedTasks.Brokers;
using TypedTasks.Hosting.Brokers;
using TypedTasks.Hosting.Tests.Infrastructure;

namespace TypedTasks.Hosting.Tests;

/// <summary>
/// A broker that is neither Redis nor in-memory, wired in through the public seam the way a transport package's
/// <c>Use…()</c> extension would, and the messages a host gets when a transport is missing or not configured.
/// </summary>
public sealed class TransportSeamTests
{
    [Fact]
    public async Task A_transport_wired_in_through_UseBroker_carries_tasks_end_to_end_when_its_setting_is_present()
    {
        var builder = TestHosts.CreateBuilder(new Dictionary<string, string?> { ["TypedTasks:Fake:Name"] = "fake-1" }, Environments.Production);
        builder.Services.AddTypedTasks(Tasks.Registry, builder.Configuration.GetSection("TypedTasks")).UseFake();
        using var host = builder.Build();
        await host.StartAsync();

        var handle = await Tasks.HostingActors.Add.SendAsync(host.Services.GetRequiredService<ITaskClient>(), 20, 22);

        var broker = Assert.IsType<FakeBroker>(host.Services.GetRequiredService<ITaskBroker>());
        Assert.Equal(42, await handle.GetResultAsync(TestHosts.Timeout));
        Assert.Equal("fake-1", broker.Name);
        Assert.Equal(1, broker.Sends);
        await host.StopAsync();
    }

    [Fact]
    public async Task The_simple_UseBroker_overload_chooses_its_broker_in_production_without_settings()
    {
        var builder = TestHosts.CreateBuilder(null, Environments.Production);
        builder.Services.AddTypedTasks(Tasks.Registry).UseBroker("Fake", static _ => new FakeBroker("plain"));
        using var host = builder.Build();
        await host.StartAsync();

        var handle = await Tasks.HostingActors.Add.SendAsync(host.Services.GetRequiredService<ITaskClient>(), 1, 1);

        Assert.Equal(2, await handle.GetResultAsync(TestHosts.Timeout));
        Assert.Equal("plain", Assert.IsType<FakeBroker>(host.Services.GetRequiredService<ITaskBroker>()).Name);
        await host.StopAsync();
    }

    [Fact]
    public async Task Broker_naming_a_wired_transport_whose_setting_is_missing_names_the_setting()
    {
        var error = await StartFailureAsync(new() { ["TypedTasks:Broker"] = "fake" }, static tasks => tasks.UseFake());

        Assert.Contains("TypedTasks:Broker is Fake but TypedTasks:Fake (environment variable TypedTasks__Fake) is not set", error.Message, StringComparison.Ordinal);
        Assert.Contains("a fake broker name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Redis_setting_in_a_host_that_never_wired_Redis_in_says_what_to_call()
    {
        var error = await StartFailureAsync(new() { ["TypedTasks:Redis"] = "localhost:6379" }, static _ => { });

        Assert.Contains("TypedTasks:Redis is set but nothing reads it", error.Message, StringComparison.Ordinal);
        Assert.Contains("TypedTasks.Redis", error.Message, StringComparison.Ordinal);
        Assert.Contains(".UseRedis()", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Settings_of_an_older_version_without_UseRedis_are_all_named_at_once()
    {
        var error = await StartFailureAsync(
            new() { ["TypedTasks:KeyPrefix"] = "orders", ["TypedTasks:Redis"] = "localhost:6379" }, static _ => { });

        Assert.Contains("TypedTasks:KeyPrefix, TypedTasks:Redis are set but nothing reads them", error.Message, StringComparison.Ordinal);
        Assert.Contains("TypedTasks:Redis: the package TypedTasks.Redis, .UseRedis()", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Redis_setting_is_refused_even_in_development_where_it_would_otherwise_fall_back_to_memory()
    {
        var error = await StartFailureAsync(new() { ["TypedTasks:Redis"] = "localhost:6379" }, static _ => { }, Environments.Development);

        Assert.Contains(".UseRedis()", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Broker_naming_a_transport_that_is_not_wired_in_says_what_to_call()
    {
        var error = await StartFailureAsync(new() { ["TypedTasks:Broker"] = "Redis" }, static tasks => tasks.UseFake());

        Assert.Contains("TypedTasks:Broker is 'Redis' but no transport of that name is wired in (wired in: Fake)", error.Message, StringComparison.Ordinal);
        Assert.Contains(".UseRedis()", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_configured_transports_without_a_Broker_setting_are_refused()
    {
        var error = await StartFailureAsync(
            new() { ["TypedTasks:Fake:Name"] = "a", ["TypedTasks:Redis"] = "localhost:6379" },
            static tasks => tasks.UseFake().UseRedis());

        Assert.Contains("TypedTasks:Fake", error.Message, StringComparison.Ordinal);
        Assert.Contains("TypedTasks:Redis", error.Message, StringComparison.Ordinal);
        Assert.Contains("TypedTasks:Broker", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_production_host_with_no_transport_at_all_says_how_to_wire_one_in()
    {
        var error = await StartFailureAsync([], static _ => { });

        Assert.Contains("no transport is wired in", error.Message, StringComparison.Ordinal);
        Assert.Contains("TypedTasks:Broker=InMemory", error.Message, StringComparison.Ordinal);
    }

    private static async Task<InvalidOperationException> StartFailureAsync(
        Dictionary<string, string?> settings, Action<TypedTasksBuilder> configure, string environment = "Production")
    {
        var builder = TestHosts.CreateBuilder(settings, environment);
        configure(builder.Services.AddTypedTasks(Tasks.Registry, builder.Configuration.GetSection("TypedTasks")));
        using var host = builder.Build();
        return await Assert.ThrowsAsync<InvalidOperationException>(() => host.StartAsync());
    }
}

/// <summary>What a transport package would ship: its builder extension, reading its own key of the section.</summary>
internal static class FakeTransportExtensions
{
    public static TypedTasksBuilder UseFake(this TypedTasksBuilder builder)
    {
        var name = builder.Configuration?["Fake:Name"];
        return builder.UseBroker(new BrokerTransport("Fake", _ => new FakeBroker(name!))
        {
            IsConfigured = _ => name is not null,
            SettingKey = "Fake",
            SettingHelp = "a fake broker name",
            ConfigurationKeys = ["Fake"],
        });
    }
}

/// <summary>A broker that is not one of ours: the in-memory broker under another type, counting sends.</summary>
internal sealed class FakeBroker(string name) : ITaskBroker
{
    private readonly InMemoryBroker _inner = new();
    private int _sends;

    public string Name => name;

    public int Sends => Volatile.Read(ref _sends);

    public ITaskResultStore Results => _inner.Results;

    public IDeadLetterStore DeadLetters => _inner.DeadLetters;


    public ITaskStatusStore Status => _inner.Status;

    public ValueTask<string?> SendAsync(TaskMessage message, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _sends);
        return _inner.SendAsync(message, cancellationToken);
    }

    public ValueTask<IReadOnlyList<string?>?> SendManyAsync(IReadOnlyList<TaskMessage> messages, CancellationToken cancellationToken = default)
    {
        Interlocked.Add(ref _sends, messages.Count);
        return _inner.SendManyAsync(messages, cancellationToken);
    }

    public ValueTask<ITaskConsumer> CreateConsumerAsync(ConsumerOptions options, CancellationToken cancellationToken = default)
        => _inner.CreateConsumerAsync(options, cancellationToken);

    public ValueTask DisposeAsync() => _inner.DisposeAsync();
}
