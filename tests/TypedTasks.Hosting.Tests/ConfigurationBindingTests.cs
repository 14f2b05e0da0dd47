using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using TypedTasks.Hosting.Tests.Infrastructure;
using TypedTasks.Redis;

namespace TypedTasks.Hosting.Tests;

/// <summary>
/// Every data setting of <see cref="WorkerOptions"/> and <see cref="RedisBrokerOptions"/> round-trips from
/// configuration. The property lists come from the types themselves: a new setting fails here until it binds (or is
/// listed as code-only).
/// </summary>
public sealed class ConfigurationBindingTests
{
    /// <summary>What configuration cannot express; ConfigureWorker sets these in code.</summary>
    private static readonly string[] s_codeOnlyWorkerSettings = [nameof(WorkerOptions.TimeProvider), nameof(WorkerOptions.Middleware), nameof(WorkerOptions.Jitter)];

    private static readonly string[] s_codeOnlyRedisSettings = [nameof(RedisBrokerOptions.TimeProvider), nameof(RedisBrokerOptions.Logger)];

    /// <summary>A value unlike every default, per setting: the configuration text and the value it must bind to.</summary>
    private static readonly Dictionary<string, (string Text, object Expected)> s_workerValues = new()
    {
        [nameof(WorkerOptions.Concurrency)] = ("3", 3),
        [nameof(WorkerOptions.Prefetch)] = ("7", 7),
        [nameof(WorkerOptions.ShutdownTimeout)] = ("00:00:07", TimeSpan.FromSeconds(7)),
        [nameof(WorkerOptions.DefaultMaxRetries)] = ("4", 4),
        [nameof(WorkerOptions.DefaultMinBackoff)] = ("00:00:02", TimeSpan.FromSeconds(2)),
        [nameof(WorkerOptions.DefaultMaxBackoff)] = ("01:00:00", TimeSpan.FromHours(1)),
        [nameof(WorkerOptions.DefaultTimeLimit)] = ("00:05:00", TimeSpan.FromMinutes(5)),
        [nameof(WorkerOptions.DefaultMaxAge)] = ("2.00:00:00", TimeSpan.FromDays(2)),
        [nameof(WorkerOptions.DefaultTraceParenting)] = ("Link", TraceParenting.Link),
        [nameof(WorkerOptions.UnknownActorMaxRetries)] = ("9", 9),
        [nameof(WorkerOptions.UnknownActorMinBackoff)] = ("00:00:03", TimeSpan.FromSeconds(3)),
        [nameof(WorkerOptions.UnknownActorMaxBackoff)] = ("00:10:00", TimeSpan.FromMinutes(10)),
        [nameof(WorkerOptions.ValidateDependencies)] = ("false", false),
        [nameof(WorkerOptions.ResultTimeToLive)] = ("03:00:00", TimeSpan.FromHours(3)),
        [nameof(WorkerOptions.ConsumerName)] = ("worker-7", "worker-7"),
    };

    private static readonly Dictionary<string, (string Text, object Expected)> s_redisValues = new()
    {
        [nameof(RedisBrokerOptions.KeyPrefix)] = ("orders", "orders"),
        [nameof(RedisBrokerOptions.ResultKeyPrefix)] = ("orders:done:", "orders:done:"),
        [nameof(RedisBrokerOptions.ConsumerGroup)] = ("billing", "billing"),
        [nameof(RedisBrokerOptions.ClaimIdleThreshold)] = ("00:01:00", TimeSpan.FromMinutes(1)),
        [nameof(RedisBrokerOptions.HeartbeatInterval)] = ("00:00:20", TimeSpan.FromSeconds(20)),
        [nameof(RedisBrokerOptions.PollInterval)] = ("00:00:02", TimeSpan.FromSeconds(2)),
        [nameof(RedisBrokerOptions.MaxPayloadBytes)] = ("65536", 65536),
        [nameof(RedisBrokerOptions.DeadLetterMaxAge)] = ("3.00:00:00", TimeSpan.FromDays(3)),
        [nameof(RedisBrokerOptions.DeadLetterMaxLength)] = ("500", 500L),
        [nameof(RedisBrokerOptions.PromoteBatchSize)] = ("25", 25),
        [nameof(RedisBrokerOptions.CommandRetryTimeout)] = ("00:00:45", TimeSpan.FromSeconds(45)),
        [nameof(RedisBrokerOptions.CancellationRetention)] = ("2.00:00:00", TimeSpan.FromDays(2)),
    };

    [Fact]
    public void Every_data_setting_of_WorkerOptions_binds_from_TypedTasks_Worker()
    {
        var settable = SettableProperties(typeof(WorkerOptions)).Except(s_codeOnlyWorkerSettings).Order(StringComparer.Ordinal);
        // Queues is a list: asserted on its own below.
        Assert.Equal(settable, s_workerValues.Keys.Append(nameof(WorkerOptions.Queues)).Order(StringComparer.Ordinal));
        var settings = s_workerValues.ToDictionary(static p => "TypedTasks:Worker:" + p.Key, static p => (string?)p.Value.Text);
        settings["TypedTasks:Worker:Queues:0"] = "alpha";
        settings["TypedTasks:Worker:Queues:1"] = "beta";
        settings["TypedTasks:Worker:Enabled"] = "false";
        settings["TypedTasks:Worker:StartTimeout"] = "00:00:09";

        using var host = BuildHost(settings, static _ => { });
        var options = host.Services.GetRequiredService<IOptionsFactory<WorkerOptions>>().Create(Options.DefaultName);
        var hosting = host.Services.GetRequiredService<IOptions<TypedTasksOptions>>().Value.Worker;

        foreach (var (name, (_, expected)) in s_workerValues)
        {
            Assert.True(Equals(expected, typeof(WorkerOptions).GetProperty(name)!.GetValue(options)), $"WorkerOptions.{name} did not bind");
        }

        Assert.Equal(["alpha", "beta"], options.Queues);
        Assert.False(hosting.Enabled);
        Assert.Equal(TimeSpan.FromSeconds(9), hosting.StartTimeout);
    }

    [Fact]
    public void Code_wins_over_configuration_and_unset_settings_keep_the_engine_defaults()
    {
        using var host = BuildHost(
            new Dictionary<string, string?> { ["TypedTasks:Worker:Concurrency"] = "3" },
            static tasks => tasks.ConfigureWorker(static w => w.Concurrency = 5));
        var options = host.Services.GetRequiredService<IOptionsFactory<WorkerOptions>>().Create(Options.DefaultName);
        var defaults = new WorkerOptions();

        Assert.Equal(5, options.Concurrency);
        Assert.Null(options.Queues);
        Assert.Equal(defaults.UnknownActorMaxRetries, options.UnknownActorMaxRetries);
        Assert.Same(TimeProvider.System, options.TimeProvider);
    }

    [Fact]
    public void Every_data_setting_of_RedisBrokerOptions_binds_from_TypedTasks_Redis()
    {
        var settable = SettableProperties(typeof(RedisBrokerOptions)).Except(s_codeOnlyRedisSettings).Order(StringComparer.Ordinal);
        Assert.Equal(settable, s_redisValues.Keys.Order(StringComparer.Ordinal));
        var settings = s_redisValues.ToDictionary(static p => "TypedTasks:Redis:" + p.Key, static p => (string?)p.Value.Text);
        settings["TypedTasks:Redis:Configuration"] = "redis.example:6380";

        var (transport, broker) = RedisSettingsOf(settings);

        Assert.Equal("redis.example:6380", transport.Configuration);
        foreach (var (name, (_, expected)) in s_redisValues)
        {
            Assert.True(Equals(expected, typeof(RedisBrokerOptions).GetProperty(name)!.GetValue(broker)), $"RedisBrokerOptions.{name} did not bind");
        }
    }

    [Fact]
    public void TypedTasks_Redis_as_a_string_is_the_connection_and_may_sit_next_to_its_own_settings()
    {
        // What TypedTasks__Redis=redis:6379 plus TypedTasks__Redis__KeyPrefix=orders give.
        var (transport, broker) = RedisSettingsOf(new Dictionary<string, string?>
        {
            ["TypedTasks:Redis"] = "redis:6379",
            ["TypedTasks:Redis:KeyPrefix"] = "orders",
        });

        Assert.Equal("redis:6379", transport.Configuration);
        Assert.Equal("orders", broker.KeyPrefix);
        Assert.Equal(new RedisBrokerOptions().ConsumerGroup, broker.ConsumerGroup);
    }

    [Fact]
    public void The_old_TypedTasks_KeyPrefix_still_sets_the_key_prefix()
    {
        var (_, broker) = RedisSettingsOf(new Dictionary<string, string?>
        {
            ["TypedTasks:Redis"] = "redis:6379",
            ["TypedTasks:KeyPrefix"] = "legacy",
        });

        Assert.Equal("legacy", broker.KeyPrefix);
    }

    [Theory]
    [InlineData("TypedTasks:Redis:Configuration", "other:6379", "TypedTasks:Redis")]
    [InlineData("TypedTasks:KeyPrefix", "other", "TypedTasks:Redis:KeyPrefix")]
    public void One_setting_given_twice_with_different_values_is_refused_naming_both(string key, string value, string otherKey)
    {
        var error = Assert.Throws<InvalidOperationException>(() => RedisSettingsOf(new Dictionary<string, string?>
        {
            ["TypedTasks:Redis"] = "redis:6379",
            ["TypedTasks:Redis:KeyPrefix"] = "orders",
            [key] = value,
        }));

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
        Assert.Contains(otherKey, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UseRedis_with_a_string_overrides_the_connection_and_keeps_the_other_settings()
    {
        using var host = BuildHost(
            new Dictionary<string, string?> { ["TypedTasks:Redis:Configuration"] = "from-config:6379", ["TypedTasks:Redis:ConsumerGroup"] = "billing" },
            static tasks => tasks.UseRedis("from-code:6379"));
        var transport = host.Services.GetRequiredService<IOptions<RedisTransportOptions>>().Value;

        Assert.Equal("from-code:6379", transport.Configuration);
        Assert.Equal("billing", transport.ConsumerGroup);
        Assert.Equal("Redis", host.Services.GetRequiredService<IOptions<TypedTasksOptions>>().Value.Broker);
    }

    private static (RedisTransportOptions Transport, RedisBrokerOptions Broker) RedisSettingsOf(Dictionary<string, string?> settings)
    {
        using var host = BuildHost(settings, static tasks => tasks.UseRedis());
        var transport = host.Services.GetRequiredService<IOptions<RedisTransportOptions>>().Value;
        return (transport, transport.ToBrokerOptions(TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance));
    }

    private static IHost BuildHost(Dictionary<string, string?> settings, Action<TypedTasksBuilder> configure)
    {
        var builder = TestHosts.CreateBuilder(settings, Environments.Production);
        configure(builder.Services.AddTypedTasks(Tasks.Registry, builder.Configuration.GetSection("TypedTasks")));
        return builder.Build();
    }

    private static IEnumerable<string> SettableProperties(Type type) => type
        .GetProperties(BindingFlags.Public | BindingFlags.Instance)
        .Where(static p => p.GetMethod?.IsPublic == true)
        .Select(static p => p.Name);
}
