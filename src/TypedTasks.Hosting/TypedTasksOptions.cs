using System;
using System.Collections.Generic;

namespace TypedTasks.Hosting;

/// <summary>
/// TypedTasks settings bound from configuration (section <c>TypedTasks</c> by convention) and/or code.
/// </summary>
/// <example>
/// <code>
/// "TypedTasks": {
///   "Redis": "localhost:6379,password=...",            // or "Broker": "InMemory" (tests, demos)
///   "KeyPrefix": "tt",
///   "Worker": { "Queues": [ "default", "email" ], "Concurrency": 32, "ShutdownTimeout": "00:00:30" }
/// }
/// </code>
/// </example>
public sealed class TypedTasksOptions
{
    /// <summary>The configuration section name used by convention.</summary>
    public const string SectionName = "TypedTasks";

    /// <summary>
    /// A StackExchange.Redis configuration string (<c>host:port,password=…</c>). Setting it chooses the Redis broker.
    /// </summary>
    /// <remarks>
    /// The host starts and keeps reconnecting while Redis is unreachable, unless the string says
    /// <c>abortConnect=true</c>: then a host that cannot connect at start-up fails to start.
    /// </remarks>
    public string? Redis { get; set; }

    /// <summary>
    /// Which broker to use; unset = Redis when <see cref="Redis"/> is set, otherwise the in-memory broker in the
    /// Development environment only (elsewhere the host fails to start, naming the missing setting).
    /// </summary>
    /// <remarks>
    /// A missing Redis setting in production must not silently turn a worker or a web API into one whose tasks live in
    /// its own memory: choosing <see cref="TypedTasksBroker.InMemory"/> outside Development has to be said.
    /// </remarks>
    public TypedTasksBroker? Broker { get; set; }

    /// <summary>Prefix of every Redis key TypedTasks writes.</summary>
    public string? KeyPrefix { get; set; }

    /// <summary>The worker's settings.</summary>
    public TypedTasksWorkerSettings Worker { get; set; } = new();
}

/// <summary>The bindable subset of <see cref="WorkerOptions"/>.</summary>
public sealed class TypedTasksWorkerSettings
{
    /// <summary>Whether this host runs a worker (a web API that only enqueues sets this to false).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Queues to consume; empty = every queue named by the registered actors.</summary>
    public List<string> Queues { get; set; } = [];

    /// <summary>Maximum actors running at once; unset = the engine's default.</summary>
    public int? Concurrency { get; set; }

    /// <summary>Maximum messages fetched but not started; unset = the engine's default.</summary>
    public int? Prefetch { get; set; }

    /// <summary>How long running actors may finish on shutdown.</summary>
    public TimeSpan? ShutdownTimeout { get; set; }

    /// <summary>How long stored outcomes are kept.</summary>
    public TimeSpan? ResultTimeToLive { get; set; }

    /// <summary>Consumer name; unset = host name, process id and a random suffix.</summary>
    public string? ConsumerName { get; set; }

    /// <summary>
    /// How long the worker keeps trying to reach the broker at start-up before it gives up, stops the host and sets
    /// exit code 1; unset = it keeps trying until the host stops. <see cref="TimeSpan.Zero"/> = fail fast at the
    /// first failed attempt.
    /// </summary>
    public TimeSpan? StartTimeout { get; set; }
}
