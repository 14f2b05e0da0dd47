using System;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using TypedTasks;
using TypedTasks.Hosting;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the TypedTasks health checks.</summary>
public static class TypedTasksHealthCheckBuilderExtensions
{
    /// <summary>
    /// Adds two checks for a host set up with <c>AddTypedTasks</c>: "broker reachable" (<c>typedtasks-broker</c>,
    /// tags <c>typedtasks</c> and <c>ready</c>) and "worker loop alive" (<c>typedtasks-worker</c>, tags
    /// <c>typedtasks</c> and <c>live</c>). See docs/operations.md, "Health checks".
    /// </summary>
    /// <example><code>builder.Services.AddHealthChecks().AddTypedTasks();</code></example>
    public static IHealthChecksBuilder AddTypedTasks(this IHealthChecksBuilder builder, Action<TypedTasksHealthCheckOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new TypedTasksHealthCheckOptions();
        configure?.Invoke(options);
        options.Validate();
        builder.Add(new HealthCheckRegistration(
            options.BrokerCheckName,
            sp => new BrokerHealthCheck(sp.GetRequiredService<ITaskBroker>(), options),
            options.FailureStatus,
            ["typedtasks", "ready"]));
        builder.Add(new HealthCheckRegistration(
            options.WorkerCheckName,
            sp => new WorkerHealthCheck(sp.GetServices<IHostedService>(), sp.GetService<TimeProvider>() ?? TimeProvider.System, options),
            options.FailureStatus,
            ["typedtasks", "live"]));
        return builder;
    }
}
