using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TypedTasks;
using TypedTasks.Hosting;
using TypedTasks.Hosting.Brokers;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers TypedTasks in a host.</summary>
public static class TypedTasksServiceCollectionExtensions
{
    /// <summary>
    /// Registers the broker (a wired-in transport such as <c>UseRedis()</c> when its settings are present or
    /// <see cref="TypedTasksOptions.Broker"/> names it; in-memory when chosen with <see cref="TypedTasksOptions.Broker"/>
    /// or <see cref="TypedTasksBuilder.UseInMemoryBroker"/>, or in the Development environment when nothing is set;
    /// otherwise the host fails to start, naming the missing setting), the generated dispatch table, an
    /// <see cref="ITaskClient"/> (also installed as <see cref="TaskClient.Default"/> so static
    /// <c>Tasks.X.SendAsync(...)</c> stubs work), <see cref="TaskSchedules"/>, a worker <see cref="BackgroundService"/>
    /// and, next to it, a <see cref="PeriodicScheduler"/> that writes the registry's declared schedules and sends their
    /// ticks (off with <c>TypedTasks:Scheduler:Enabled = false</c>).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="registry">The generated <c>Tasks.Registry</c> of the assembly that declares the actors.</param>
    public static TypedTasksBuilder AddTypedTasks(this IServiceCollection services, IActorRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(registry);
        return AddCore(services, registry, configuration: null);
    }

    /// <summary>
    /// <see cref="AddTypedTasks(IServiceCollection, IActorRegistry)"/>, with settings bound from
    /// <paramref name="configuration"/> (conventionally the <c>TypedTasks</c> section): <c>Broker</c>, <c>Worker</c>
    /// (every data setting of <see cref="WorkerOptions"/> plus <see cref="TypedTasksWorkerSettings"/>), <c>Scheduler</c>
    /// (<see cref="SchedulerOptions"/>: Enabled, MissedTicks, MissedTickThreshold, RefreshInterval), and the keys
    /// wired-in transports read (<c>Redis</c>).
    /// </summary>
    public static TypedTasksBuilder AddTypedTasks(this IServiceCollection services, IActorRegistry registry, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(configuration);
        var builder = AddCore(services, registry, configuration);
        if (configuration is IConfigurationSection section)
        {
            // Only a section is checked for keys nobody reads: a configuration root also holds everyone else's settings.
            services.AddSingleton(new TypedTasksSection(section, section.Path));
        }

        services.AddOptions<TypedTasksOptions>().Bind(configuration);
        var worker = configuration.GetSection("Worker");
        // WorkerOptions itself, not a copy: what configuration cannot express (TimeProvider, Middleware, Jitter) is
        // skipped by the binder and set in code with ConfigureWorker (see the NoWarn in the project file).
        services.AddOptions<WorkerOptions>().Bind(worker);
        // SchedulerOptions itself too: TimeProvider is the host's (set in AddCore), the rest binds.
        services.AddOptions<SchedulerOptions>().Bind(configuration.GetSection("Scheduler"));
        return builder;
    }

    private static TypedTasksBuilder AddCore(IServiceCollection services, IActorRegistry registry, IConfiguration? configuration)
    {
        var builder = new TypedTasksBuilder(services, configuration).AddActors(registry);
        if (services.Any(static d => d.ServiceType == typeof(TypedTasksMarker)))
        {
            return builder;
        }

        services.AddSingleton<TypedTasksMarker>();
        services.AddOptions<TypedTasksOptions>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IActorRegistry>(static sp => ActorRegistry.Combine(
            sp.GetServices<RegisteredActors>().Select(static r => r.Registry).Distinct().ToArray()));
        services.TryAddSingleton<ITaskBroker>(CreateBroker);
        services.TryAddSingleton<ITaskClient>(static sp => new TaskClient(
            sp.GetRequiredService<ITaskBroker>(),
            sp.GetServices<ISendMiddleware>(),
            sp.GetRequiredService<TimeProvider>())
        {
            TrackStatus = sp.GetRequiredService<IOptions<TypedTasksOptions>>().Value.TrackStatus,
        });
        // Registered before any binding or ConfigureWorker, so configuration and code can still replace the clock.
        services.AddOptions<WorkerOptions>().Configure<TimeProvider, IEnumerable<IProcessMiddleware>>(static (options, time, middleware) =>
        {
            options.TimeProvider = time;
            foreach (var item in middleware)
            {
                options.Middleware.Add(item);
            }
        });
        services.AddOptions<SchedulerOptions>().Configure<TimeProvider>(static (options, time) => options.TimeProvider = time);
        services.TryAddSingleton(static sp => new TaskSchedules(sp.GetRequiredService<ITaskBroker>(), sp.GetRequiredService<TimeProvider>()));
        services.AddHostedService<AmbientClientService>();
        services.AddHostedService<TypedTasksWorkerService>();

        // The host must wait at least as long as the worker lets running actors finish.
        services.AddOptions<HostOptions>().Configure<IOptions<WorkerOptions>>(static (host, worker) =>
        {
            var shutdown = worker.Value.ShutdownTimeout;
            var workerTimeout = shutdown == System.Threading.Timeout.InfiniteTimeSpan ? shutdown : shutdown + TimeSpan.FromSeconds(5);
            if (host.ShutdownTimeout != System.Threading.Timeout.InfiniteTimeSpan
                && (workerTimeout == System.Threading.Timeout.InfiniteTimeSpan || host.ShutdownTimeout < workerTimeout))
            {
                host.ShutdownTimeout = workerTimeout;
            }
        });
        return builder;
    }

    private static ITaskBroker CreateBroker(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<TypedTasksOptions>>().Value;
        // The last wiring of a name wins, as for any other registration.
        var transports = services.GetServices<BrokerTransport>()
            .GroupBy(static t => t.Name, StringComparer.OrdinalIgnoreCase)
            .Select(static g => g.Last())
            .ToArray();
        var chosen = BrokerChoice.Choose(
            options,
            transports,
            t => t.IsConfigured(services),
            services.GetService<TypedTasksSection>(),
            services.GetService<IHostEnvironment>());
        if (chosen is not null)
        {
            return chosen.Create(services)
                ?? throw new InvalidOperationException($"The {chosen.Name} transport created no broker.");
        }

        var logger = (services.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger("TypedTasks.Hosting");
        if (options.Broker is null)
        {
            HostingLog.UsingInMemoryBrokerInDevelopment(logger);
        }
        else
        {
            HostingLog.UsingInMemoryBroker(logger);
        }

        return new InMemoryBroker(services.GetRequiredService<TimeProvider>());
    }

    /// <summary>Marks that the core services are registered, so several AddTypedTasks calls only add registries.</summary>
    private sealed class TypedTasksMarker;
}
