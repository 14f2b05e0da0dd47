using System;
using System.Globalization;
using System.Threading;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using TypedTasks;
using TypedTasks.Hosting;
using TypedTasks.Hosting.Brokers;
using TypedTasks.Redis;
using TypedTasks.Redis.Hosting;
using TypedTasks.Redis.Internal;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Wires the Redis broker into a host: <c>AddTypedTasks(...).UseRedis()</c>.</summary>
public static class RedisTypedTasksBuilderExtensions
{
    /// <summary>The <c>TypedTasks:Broker</c> value that chooses Redis.</summary>
    public const string BrokerName = "Redis";

    /// <summary>
    /// Wires Redis in, configured from <c>TypedTasks:Redis</c> (see <see cref="RedisTransportOptions"/>): used when that
    /// setting is present or <c>TypedTasks:Broker=Redis</c>. Without the setting the host falls back to the in-memory
    /// broker in Development only, and elsewhere fails to start naming <c>TypedTasks:Redis</c>.
    /// </summary>
    public static TypedTasksBuilder UseRedis(this TypedTasksBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (services.Contains(s_marker))
        {
            return builder;
        }

        services.Add(s_marker);
        var settingPath = (builder.Configuration as IConfigurationSection)?.Path ?? TypedTasksOptions.SectionName;
        if (builder.Configuration is { } configuration)
        {
            var section = configuration.GetSection(BrokerName);
            services.AddOptions<RedisTransportOptions>()
                .Bind(section)
                .Configure(options => ApplyShorthands(options, section, configuration, settingPath));
        }

        services.TryAddEnumerable(ServiceDescriptor.Singleton<ITransientFailureClassifier, RedisTransientFailureClassifier>());
        // A user-registered IConnectionMultiplexer wins; the container owns (and disposes) whichever is used.
        services.TryAddSingleton<IConnectionMultiplexer>(sp => Connect(sp, settingPath + ":" + BrokerName));
        return builder.UseBroker(new BrokerTransport(BrokerName, CreateBroker)
        {
            IsConfigured = static sp => !string.IsNullOrWhiteSpace(sp.GetRequiredService<IOptions<RedisTransportOptions>>().Value.Configuration),
            SettingKey = BrokerName,
            SettingHelp = "a StackExchange.Redis configuration string such as localhost:6379",
            // KeyPrefix directly under TypedTasks is where the key prefix lived before TypedTasks:Redis:KeyPrefix.
            ConfigurationKeys = [BrokerName, "KeyPrefix"],
        });
    }

    /// <summary>
    /// Uses Redis at <paramref name="configuration"/> (a StackExchange.Redis configuration string), overriding
    /// <c>TypedTasks:Redis</c> and <c>TypedTasks:Broker</c>; the other <c>TypedTasks:Redis</c> settings still apply.
    /// </summary>
    public static TypedTasksBuilder UseRedis(this TypedTasksBuilder builder, string configuration)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        return builder.UseRedis(options => options.Configuration = configuration).ChooseBroker(BrokerName);
    }

    /// <summary>
    /// <see cref="UseRedis(TypedTasksBuilder)"/>, then adjusts the settings in code (after configuration is bound, so
    /// code wins).
    /// </summary>
    public static TypedTasksBuilder UseRedis(this TypedTasksBuilder builder, Action<RedisTransportOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.UseRedis();
        builder.Services.Configure(configure);
        return builder;
    }

    private static readonly ServiceDescriptor s_marker = ServiceDescriptor.Singleton<RedisWired, RedisWired>();

    /// <summary>
    /// The string shape (<c>TypedTasks:Redis=host:port</c>) and the key prefix's old place (<c>TypedTasks:KeyPrefix</c>),
    /// both still read; a value given twice must agree, or a typo in one place would silently lose to the other.
    /// </summary>
    private static void ApplyShorthands(RedisTransportOptions options, IConfigurationSection section, IConfiguration configuration, string path)
    {
        options.Configuration = Merge(options.Configuration, section.Value, $"{path}:{BrokerName}:Configuration", $"{path}:{BrokerName}");
        options.KeyPrefix = Merge(options.KeyPrefix, configuration["KeyPrefix"], $"{path}:{BrokerName}:KeyPrefix", $"{path}:KeyPrefix");
    }

    private static string? Merge(string? bound, string? shorthand, string boundKey, string shorthandKey)
    {
        if (string.IsNullOrEmpty(shorthand))
        {
            return bound;
        }

        if (!string.IsNullOrEmpty(bound) && !string.Equals(bound, shorthand, StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"{shorthandKey} and {boundKey} are both set, to different values: keep one of them.");
        }

        return shorthand;
    }

    private static ITaskBroker CreateBroker(IServiceProvider services)
    {
        var settings = services.GetRequiredService<IOptions<RedisTransportOptions>>().Value;
        var loggerFactory = services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
        var connection = services.GetRequiredService<IConnectionMultiplexer>();
        var broker = new RedisBroker(connection, settings.ToBrokerOptions(
            services.GetRequiredService<TimeProvider>(),
            loggerFactory.CreateLogger("TypedTasks.Redis")));
        RedisHostingLog.UsingRedisBroker(loggerFactory.CreateLogger("TypedTasks.Hosting"), RedisEndpoints.Describe(connection.GetEndPoints()));
        return broker;
    }

    private static IConnectionMultiplexer Connect(IServiceProvider services, string settingKey)
    {
        var settings = services.GetRequiredService<IOptions<RedisTransportOptions>>().Value;
        if (string.IsNullOrWhiteSpace(settings.Configuration))
        {
            throw new InvalidOperationException(
                $"{settingKey} (environment variable {settingKey.Replace(":", "__", StringComparison.Ordinal)}) is not set, so there is no Redis connection to make.");
        }

        var configuration = ConfigurationOptions.Parse(settings.Configuration);
        // A host that starts before Redis does keeps reconnecting in the background instead of crashing, unless the
        // string itself asks otherwise: Parse cannot tell an explicit abortConnect from its default, so look for it.
        if (!RedisEndpoints.NamesAbortConnect(settings.Configuration))
        {
            configuration.AbortOnConnectFail = false;
        }

        var endpoints = RedisEndpoints.Describe(configuration.EndPoints);
        ConnectionMultiplexer connection;
        try
        {
            connection = ConnectionMultiplexer.Connect(configuration);
        }
        catch (RedisConnectionException exception) when (configuration.AbortOnConnectFail)
        {
            throw new InvalidOperationException(
                $"TypedTasks could not connect to Redis at {endpoints} and {settingKey} says abortConnect=true, so " +
                "the host does not start. Without abortConnect=true the host starts and keeps reconnecting until Redis " +
                $"is up. ({exception.FailureType})",
                exception);
        }

        if (!connection.IsConnected)
        {
            // Said once each way, so a host (a send-only web API too) that starts before Redis does is never silent
            // about it; the worker service says the same about its own start.
            var logger = (services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger("TypedTasks.Hosting");
            var time = services.GetRequiredService<TimeProvider>();
            var since = time.GetTimestamp();
            var reported = 0;
            RedisHostingLog.RedisNotReachableYet(logger, endpoints);
            connection.ConnectionRestored += (_, _) =>
            {
                if (connection.IsConnected && Interlocked.Exchange(ref reported, 1) == 0)
                {
                    RedisHostingLog.RedisReachable(logger, endpoints, time.GetElapsedTime(since).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture));
                }
            };
        }

        return connection;
    }

    /// <summary>Marks that Redis is wired in, so a second UseRedis() adds nothing twice.</summary>
    private sealed class RedisWired;
}
