using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using TypedTasks;
using TypedTasks.Hosting;
using TypedTasks.Redis;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers TypedTasks in a host.</summary>
public static class TypedTasksServiceCollectionExtensions
{
    /// <summary>
    /// Registers the broker (Redis when <see cref="TypedTasksOptions.Redis"/> is set; in-memory when chosen with
    /// <see cref="TypedTasksOptions.Broker"/> or <see cref="TypedTasksBuilder.UseInMemoryBroker"/>, or in the Development
    /// environment when nothing is set; otherwise the host fails to start, naming the missing setting), the
    /// generated dispatch table, an <see cref="ITaskClient"/> (also installed as <see cref="TaskClient.Default"/> so
    /// static <c>Tasks.X.SendAsync(...)</c> stubs work) and a worker <see cref="BackgroundService"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="registry">The generated <c>Tasks.Registry</c> of the assembly that declares the actors.</param>
    public static TypedTasksBuilder AddTypedTasks(this IServiceCollection services, IActorRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(registry);
        var builder = new TypedTasksBuilder(services).AddActors(registry);
        if (services.Any(static d => d.ServiceType == typeof(TypedTasksMarker)))
        {
            return builder;
        }

        services.AddSingleton<TypedTasksMarker>();
        services.AddOptions<TypedTasksOptions>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IActorRegistry>(static sp => ActorRegistry.Combine(
            sp.GetServices<RegisteredActors>().Select(static r => r.Registry).Distinct().ToArray()));
        services.TryAddSingleton<IConnectionMultiplexer>(ConnectRedis);
        services.TryAddSingleton<ITaskBroker>(CreateBroker);
        services.TryAddSingleton<ITaskClient>(static sp => new TaskClient(
            sp.GetRequiredService<ITaskBroker>(),
            sp.GetServices<ISendMiddleware>(),
            sp.GetRequiredService<TimeProvider>()));
        services.AddHostedService<AmbientClientService>();
        services.AddHostedService<TypedTasksWorkerService>();

        // The host must wait at least as long as the worker lets running actors finish.
        services.AddOptions<HostOptions>().Configure<IOptions<TypedTasksOptions>>(static (host, tasks) =>
        {
            var workerTimeout = (tasks.Value.Worker.ShutdownTimeout ?? TimeSpan.FromSeconds(30)) + TimeSpan.FromSeconds(5);
            if (host.ShutdownTimeout < workerTimeout)
            {
                host.ShutdownTimeout = workerTimeout;
            }
        });
        return builder;
    }

    /// <summary>
    /// <see cref="AddTypedTasks(IServiceCollection, IActorRegistry)"/>, with settings bound from
    /// <paramref name="configuration"/> (conventionally the <c>TypedTasks</c> section).
    /// </summary>
    public static TypedTasksBuilder AddTypedTasks(this IServiceCollection services, IActorRegistry registry, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var builder = services.AddTypedTasks(registry);
        services.AddOptions<TypedTasksOptions>().Bind(configuration);
        return builder;
    }

    private static ITaskBroker CreateBroker(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<TypedTasksOptions>>().Value;
        var loggerFactory = services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance;
        var logger = loggerFactory.CreateLogger("TypedTasks.Hosting");
        var time = services.GetRequiredService<TimeProvider>();
        if (BrokerChoice.Choose(options, services.GetService<IHostEnvironment>()) == TypedTasksBroker.InMemory)
        {
            if (options.Broker is null)
            {
                HostingLog.UsingInMemoryBrokerInDevelopment(logger);
            }
            else
            {
                HostingLog.UsingInMemoryBroker(logger);
            }

            return new InMemoryBroker(time);
        }

        // The container owns (and disposes) the connection; a user-registered IConnectionMultiplexer wins.
        var connection = services.GetRequiredService<IConnectionMultiplexer>();
        HostingLog.UsingRedisBroker(logger, RedisSettings.Describe(connection.GetEndPoints()));
        return new RedisBroker(connection, new RedisBrokerOptions
        {
            KeyPrefix = string.IsNullOrEmpty(options.KeyPrefix) ? "tt" : options.KeyPrefix,
            TimeProvider = time,
            Logger = loggerFactory.CreateLogger("TypedTasks.Redis"),
        });
    }

    private static IConnectionMultiplexer ConnectRedis(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<TypedTasksOptions>>().Value;
        if (string.IsNullOrWhiteSpace(options.Redis))
        {
            throw new InvalidOperationException(
                "TypedTasks:Redis (environment variable TypedTasks__Redis) is not set, so there is no Redis connection to make.");
        }

        var configuration = ConfigurationOptions.Parse(options.Redis);
        // A host that starts before Redis does keeps reconnecting in the background instead of crashing, unless the
        // string itself asks otherwise: Parse cannot tell an explicit abortConnect from its default, so look for it.
        if (!RedisSettings.NamesAbortConnect(options.Redis))
        {
            configuration.AbortOnConnectFail = false;
        }

        var endpoints = RedisSettings.Describe(configuration.EndPoints);
        ConnectionMultiplexer connection;
        try
        {
            connection = ConnectionMultiplexer.Connect(configuration);
        }
        catch (RedisConnectionException exception) when (configuration.AbortOnConnectFail)
        {
            throw new InvalidOperationException(
                $"TypedTasks could not connect to Redis at {endpoints} and TypedTasks:Redis says abortConnect=true, so " +
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
            HostingLog.RedisNotReachableYet(logger, endpoints);
            connection.ConnectionRestored += (_, _) =>
            {
                if (connection.IsConnected && Interlocked.Exchange(ref reported, 1) == 0)
                {
                    HostingLog.RedisReachable(logger, endpoints, time.GetElapsedTime(since).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture));
                }
            };
        }

        return connection;
    }

    /// <summary>Marks that the core services are registered, so several AddTypedTasks calls only add registries.</summary>
    private sealed class TypedTasksMarker;
}
