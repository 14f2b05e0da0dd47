using System;

namespace TypedTasks.Hosting;

/// <summary>
/// Hosting settings bound from configuration (section <c>TypedTasks</c> by convention) and/or code. Each transport
/// package binds its own key of the same section (TypedTasks.Redis: <c>TypedTasks:Redis</c>), and the worker's
/// <see cref="WorkerOptions"/> bind from <c>TypedTasks:Worker</c> next to <see cref="Worker"/>.
/// </summary>
/// <example>
/// <code>
/// "TypedTasks": {
///   "Redis": "localhost:6379,password=...",            // read by UseRedis(); or "Broker": "InMemory" (tests, demos)
///   "Worker": { "Queues": [ "default", "email" ], "Concurrency": 32, "ShutdownTimeout": "00:00:30", "StartTimeout": "00:02:00" }
/// }
/// </code>
/// </example>
public sealed class TypedTasksOptions
{
    /// <summary>The configuration section name used by convention.</summary>
    public const string SectionName = "TypedTasks";

    /// <summary>The <see cref="Broker"/> value that chooses the built-in in-memory broker.</summary>
    public const string InMemoryBrokerName = "InMemory";

    /// <summary>
    /// Which broker to use: <see cref="InMemoryBrokerName"/> or the name of a wired-in transport (<c>Redis</c> after
    /// <c>UseRedis()</c>). Unset = the one wired-in transport whose settings are present, otherwise the in-memory
    /// broker in the Development environment only (elsewhere the host fails to start, naming the missing setting).
    /// </summary>
    /// <remarks>
    /// A missing Redis setting in production must not silently turn a worker or a web API into one whose tasks live in
    /// its own memory: choosing the in-memory broker outside Development has to be said.
    /// </remarks>
    public string? Broker { get; set; }

    /// <summary>
    /// Track the status of every task the injected client sends unless the actor or the send decided
    /// (<see cref="TaskClient.TrackStatus"/>; configuration key <c>TypedTasks:TrackStatus</c>). Default
    /// <see langword="false"/>: only actors with <c>[Actor(TrackStatus = true)]</c> and sends with
    /// <see cref="SendOptions.TrackStatus"/> are tracked.
    /// </summary>
    public bool TrackStatus { get; set; }

    /// <summary>The hosting-only worker settings; the rest of <c>TypedTasks:Worker</c> binds to <see cref="WorkerOptions"/>.</summary>
    public TypedTasksWorkerSettings Worker { get; set; } = new();

    /// <summary>
    /// Set when code chose the broker (<see cref="TypedTasksBuilder.UseInMemoryBroker"/>, <c>UseRedis("…")</c>): it wins over
    /// configuration, so a transport's setting next to it is no contradiction.
    /// </summary>
    internal bool BrokerChosenInCode { get; set; }
}

/// <summary>
/// Worker settings only a host has. Every data setting of <see cref="WorkerOptions"/> (Queues, Concurrency,
/// DefaultMaxRetries, UnknownActorMaxRetries, ValidateDependencies…) binds from the same <c>TypedTasks:Worker</c>
/// section; adjust the rest in code with <see cref="TypedTasksBuilder.ConfigureWorker"/>.
/// </summary>
public sealed class TypedTasksWorkerSettings
{
    /// <summary>Whether this host runs a worker (a web API that only enqueues sets this to false).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// How long the worker keeps trying to reach the broker at start-up before it gives up, stops the host and sets
    /// exit code 1; unset = it keeps trying until the host stops. <see cref="TimeSpan.Zero"/> = fail fast at the
    /// first failed attempt.
    /// </summary>
    public TimeSpan? StartTimeout { get; set; }
}
