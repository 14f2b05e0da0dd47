using System;
using System.Collections.Generic;

namespace TypedTasks.Hosting.Brokers;

/// <summary>
/// A broker a transport package wires into a host: what its <c>Use…()</c> extension on
/// <see cref="TypedTasksBuilder"/> hands to <see cref="TypedTasksBuilder.UseBroker(BrokerTransport)"/>.
/// </summary>
/// <remarks>
/// The hosting integration knows no transport by name; it chooses among the wired-in ones with
/// <c>TypedTasks:Broker</c> and the transports' own <see cref="IsConfigured"/>, and words its errors with
/// <see cref="SettingKey"/> and <see cref="SettingHelp"/> (docs/architecture.md, "Adding a broker").
/// </remarks>
public sealed class BrokerTransport
{
    /// <summary>Describes a transport.</summary>
    /// <param name="name">The value of <c>TypedTasks:Broker</c> that chooses it (case-insensitive), e.g. <c>Redis</c>.</param>
    /// <param name="create">Builds the broker; called once, when the container first resolves <see cref="ITaskBroker"/>.</param>
    public BrokerTransport(string name, Func<IServiceProvider, ITaskBroker> create)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(create);
        if (name.Equals(TypedTasksOptions.InMemoryBrokerName, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"'{TypedTasksOptions.InMemoryBrokerName}' names the built-in in-memory broker.", nameof(name));
        }

        Name = name;
        Create = create;
    }

    /// <summary>The value of <c>TypedTasks:Broker</c> that chooses this transport (case-insensitive).</summary>
    public string Name { get; }

    /// <summary>Builds the broker. The container owns the result and disposes it with the host.</summary>
    public Func<IServiceProvider, ITaskBroker> Create { get; }

    /// <summary>
    /// Whether this host's settings configure the transport (for Redis: a connection string is set). A transport that
    /// is configured is chosen without <c>TypedTasks:Broker</c>; one that is not is skipped, and named in the error
    /// when nothing else is chosen. Default: always configured.
    /// </summary>
    public Func<IServiceProvider, bool> IsConfigured { get; init; } = static _ => true;

    /// <summary>
    /// The key under the <c>TypedTasks</c> section that configures the transport (<c>Redis</c>), for messages such as
    /// "TypedTasks:Broker is Redis but TypedTasks:Redis is not set".
    /// </summary>
    public string? SettingKey { get; init; }

    /// <summary>What to put in <see cref="SettingKey"/>, ending a sentence: "a StackExchange.Redis configuration string such as localhost:6379".</summary>
    public string? SettingHelp { get; init; }

    /// <summary>
    /// Every key directly under the <c>TypedTasks</c> section this transport reads. Hosting refuses to start when the
    /// section holds a key no wired-in transport claims: a Redis setting in a host that never called <c>UseRedis()</c>
    /// would otherwise be silently ignored.
    /// </summary>
    public IReadOnlyList<string> ConfigurationKeys { get; init; } = [];
}
