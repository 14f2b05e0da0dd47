using System;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace TypedTasks.Hosting;

/// <summary>Settings of the TypedTasks health checks (<c>AddHealthChecks().AddTypedTasks(...)</c>).</summary>
public sealed class TypedTasksHealthCheckOptions
{
    /// <summary>Name of the "broker reachable" check (default <c>typedtasks-broker</c>); tags <c>typedtasks</c>, <c>ready</c>.</summary>
    public string BrokerCheckName { get; set; } = "typedtasks-broker";

    /// <summary>Name of the "worker loop alive" check (default <c>typedtasks-worker</c>); tags <c>typedtasks</c>, <c>live</c>.</summary>
    public string WorkerCheckName { get; set; } = "typedtasks-worker";

    /// <summary>How long the broker may take to answer its ping before the check fails (default 5 s).</summary>
    public TimeSpan BrokerTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long the worker's receive loop may show no sign of life (<c>TaskWorker.LastActivityAt</c>) before
    /// the check fails (default 30 s; an idle Redis worker shows one every <c>PollInterval</c>, 1 s).</summary>
    public TimeSpan WorkerStallThreshold { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>What a failing check reports (default <see cref="HealthStatus.Unhealthy"/>).</summary>
    public HealthStatus FailureStatus { get; set; } = HealthStatus.Unhealthy;

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(BrokerCheckName);
        ArgumentException.ThrowIfNullOrWhiteSpace(WorkerCheckName);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(BrokerTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(WorkerStallThreshold, TimeSpan.Zero);
    }
}
