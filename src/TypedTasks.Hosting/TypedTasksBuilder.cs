using System;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace TypedTasks.Hosting;

/// <summary>Configures TypedTasks in a service collection; returned by <c>AddTypedTasks</c>.</summary>
public sealed class TypedTasksBuilder
{
    internal TypedTasksBuilder(IServiceCollection services)
    {
        Services = services;
    }

    /// <summary>The service collection being configured.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Adds the actors of another assembly (its generated <c>Tasks.Registry</c>).</summary>
    public TypedTasksBuilder AddActors(IActorRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        Services.AddSingleton(new RegisteredActors(registry));
        return this;
    }

    /// <summary>Uses Redis Streams (a StackExchange.Redis configuration string), overriding configuration.</summary>
    public TypedTasksBuilder UseRedis(string configuration)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        Services.Configure<TypedTasksOptions>(options =>
        {
            options.Redis = configuration;
            options.Broker = TypedTasksBroker.Redis;
        });
        return this;
    }

    /// <summary>
    /// Uses the in-memory broker (tests, demos), overriding configuration, in every environment; the same as
    /// <c>TypedTasks:Broker=InMemory</c> without a Redis setting.
    /// </summary>
    public TypedTasksBuilder UseInMemoryBroker()
    {
        Services.Configure<TypedTasksOptions>(static options =>
        {
            options.Redis = null;
            options.Broker = TypedTasksBroker.InMemory;
        });
        return this;
    }

    /// <summary>Adjusts the worker's settings in code (middleware, clock, retry defaults...).</summary>
    public TypedTasksBuilder ConfigureWorker(Action<WorkerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        Services.AddSingleton(new WorkerOptionsConfigurator(configure));
        return this;
    }

    /// <summary>Does not run a worker in this host: it only sends (for example a web API).</summary>
    public TypedTasksBuilder WithoutWorker()
    {
        Services.Configure<TypedTasksOptions>(static options => options.Worker.Enabled = false);
        return this;
    }

    /// <summary>Adds a middleware that runs around every send, resolved from the container.</summary>
    public TypedTasksBuilder AddSendMiddleware<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TMiddleware>()
        where TMiddleware : class, ISendMiddleware
    {
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<ISendMiddleware, TMiddleware>());
        return this;
    }

    /// <summary>Adds a middleware that runs around every attempt on the worker, resolved from the container.</summary>
    public TypedTasksBuilder AddProcessMiddleware<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] TMiddleware>()
        where TMiddleware : class, IProcessMiddleware
    {
        Services.TryAddEnumerable(ServiceDescriptor.Singleton<IProcessMiddleware, TMiddleware>());
        return this;
    }
}

/// <summary>One registry added with <c>AddTypedTasks</c> or <see cref="TypedTasksBuilder.AddActors"/>.</summary>
internal sealed record RegisteredActors(IActorRegistry Registry);

/// <summary>A code-level adjustment of <see cref="WorkerOptions"/>.</summary>
internal sealed record WorkerOptionsConfigurator(Action<WorkerOptions> Configure);
