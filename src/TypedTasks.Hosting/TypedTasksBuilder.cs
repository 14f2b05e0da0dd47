using System;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using TypedTasks.Hosting.Brokers;

namespace TypedTasks.Hosting;

/// <summary>Configures TypedTasks in a service collection; returned by <c>AddTypedTasks</c>.</summary>
public sealed class TypedTasksBuilder
{
    internal TypedTasksBuilder(IServiceCollection services, IConfiguration? configuration)
    {
        Services = services;
        Configuration = configuration;
    }

    /// <summary>The service collection being configured.</summary>
    public IServiceCollection Services { get; }

    /// <summary>
    /// The section given to <c>AddTypedTasks</c> (conventionally <c>TypedTasks</c>), or <see langword="null"/> when
    /// settings come from code only. Transport packages bind their own key of it (<c>TypedTasks:Redis</c>).
    /// </summary>
    public IConfiguration? Configuration { get; }

    /// <summary>Adds the actors of another assembly (its generated <c>Tasks.Registry</c>).</summary>
    public TypedTasksBuilder AddActors(IActorRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        Services.AddSingleton(new RegisteredActors(registry));
        return this;
    }

    /// <summary>
    /// Wires a transport into the host (what a transport package's <c>Use…()</c> extension calls). It is used when
    /// <c>TypedTasks:Broker</c> names it, or, with no <c>TypedTasks:Broker</c>, when it is the one configured
    /// transport. Wiring the same name again replaces the earlier transport.
    /// </summary>
    public TypedTasksBuilder UseBroker(BrokerTransport transport)
    {
        ArgumentNullException.ThrowIfNull(transport);
        Services.AddSingleton(transport);
        return this;
    }

    /// <summary>
    /// Wires a transport that needs no settings: <paramref name="name"/> is chosen unless
    /// <c>TypedTasks:Broker</c> names another broker.
    /// </summary>
    public TypedTasksBuilder UseBroker(string name, Func<IServiceProvider, ITaskBroker> create)
        => UseBroker(new BrokerTransport(name, create));

    /// <summary>
    /// Uses the in-memory broker (tests, demos), overriding configuration, in every environment; the same as
    /// <c>TypedTasks:Broker=InMemory</c> without a transport's setting.
    /// </summary>
    public TypedTasksBuilder UseInMemoryBroker() => ChooseBroker(TypedTasksOptions.InMemoryBrokerName);

    /// <summary>
    /// Chooses the broker named <paramref name="name"/> in code, overriding <c>TypedTasks:Broker</c>: for transport
    /// packages whose <c>Use…(settings)</c> overload states the choice (TypedTasks.Redis: <c>UseRedis("host:port")</c>).
    /// </summary>
    public TypedTasksBuilder ChooseBroker(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Services.Configure<TypedTasksOptions>(options =>
        {
            options.Broker = name;
            options.BrokerChosenInCode = true;
        });
        return this;
    }

    /// <summary>
    /// Adjusts the worker's settings in code (middleware, clock, jitter, anything configuration also sets); runs
    /// after <c>TypedTasks:Worker</c> is bound, so code wins.
    /// </summary>
    public TypedTasksBuilder ConfigureWorker(Action<WorkerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        Services.Configure(configure);
        return this;
    }

    /// <summary>Adjusts the <see cref="SchedulerOptions"/> after configuration (<c>TypedTasks:Scheduler</c>), so code
    /// wins: for example <c>o =&gt; o.Enabled = false</c>, or a fake clock in tests.</summary>
    public TypedTasksBuilder ConfigureScheduler(Action<SchedulerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        Services.Configure(configure);
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
