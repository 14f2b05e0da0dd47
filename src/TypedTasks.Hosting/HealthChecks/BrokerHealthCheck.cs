using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace TypedTasks.Hosting;

/// <summary>"Broker reachable": the broker's monitoring ping (Redis: PING to every master through the broker's own
/// multiplexer; in-memory: always answers), within <see cref="TypedTasksHealthCheckOptions.BrokerTimeout"/>.</summary>
internal sealed class BrokerHealthCheck(ITaskBroker broker, TypedTasksHealthCheckOptions options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (broker.Monitor is not { } monitor)
        {
            return HealthCheckResult.Healthy($"{broker} offers no monitoring API, so its reachability is not checked.");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.BrokerTimeout);
        try
        {
            var latency = await monitor.PingAsync(timeout.Token).ConfigureAwait(false);
            var ms = latency.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture);
            return HealthCheckResult.Healthy(
                $"{broker} answered in {ms} ms.",
                new Dictionary<string, object> { ["latency_ms"] = latency.TotalMilliseconds });
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"{broker} did not answer within {options.BrokerTimeout}.");
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"{broker} is not reachable: {exception.Message}", exception);
        }
    }
}
