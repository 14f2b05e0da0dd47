using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace TypedTasks.Hosting;

/// <summary>
/// "Worker loop alive": the hosted worker runs and its receive loop showed a sign of life
/// (<see cref="TaskWorker.LastActivityAt"/>) within <see cref="TypedTasksHealthCheckOptions.WorkerStallThreshold"/>.
/// Degraded while the worker is still starting (its start is retried while the broker is unreachable); healthy when
/// this host runs no worker; failing when the worker stopped, gave up starting or is stuck.
/// </summary>
internal sealed class WorkerHealthCheck(IEnumerable<IHostedService> hostedServices, TimeProvider time, TypedTasksHealthCheckOptions options) : IHealthCheck
{
    private readonly TypedTasksWorkerService? _service = hostedServices.OfType<TypedTasksWorkerService>().FirstOrDefault();

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        => Task.FromResult(Check(context.Registration.FailureStatus));

    private HealthCheckResult Check(HealthStatus failure)
    {
        if (_service is null)
        {
            return new HealthCheckResult(failure, "TypedTasks is not registered in this host (AddTypedTasks).");
        }

        switch (_service.State)
        {
            case WorkerServiceState.Disabled:
                return HealthCheckResult.Healthy("This host runs no TypedTasks worker.");
            case WorkerServiceState.NotStarted:
                return HealthCheckResult.Degraded("The worker has not been started yet.");
            case WorkerServiceState.Starting:
                return HealthCheckResult.Degraded(string.Create(
                    CultureInfo.InvariantCulture, $"The worker is starting (attempt {_service.StartAttempts})."));
            case WorkerServiceState.Stopped:
                return new HealthCheckResult(failure, "The worker was stopped.");
            case WorkerServiceState.Failed:
                return new HealthCheckResult(failure, "The worker failed: " + _service.Failure);
        }

        var worker = _service.Worker;
        if (worker?.LastActivityAt is not { } lastActivity)
        {
            return new HealthCheckResult(failure, "The worker is not running.");
        }

        var silent = time.GetUtcNow() - lastActivity;
        var data = new Dictionary<string, object>
        {
            ["running"] = worker.RunningCount,
            ["last_activity"] = lastActivity.ToString("O", CultureInfo.InvariantCulture),
        };
        if (silent > options.WorkerStallThreshold)
        {
            return new HealthCheckResult(
                failure,
                string.Create(CultureInfo.InvariantCulture, $"The worker's receive loop has shown no progress for {silent.TotalSeconds:0.0} s (threshold {options.WorkerStallThreshold.TotalSeconds:0.#} s): its broker may be unreachable or its consumer stuck."),
                data: data);
        }

        return HealthCheckResult.Healthy(
            string.Create(CultureInfo.InvariantCulture, $"The worker consumes {string.Join(", ", worker.Queues)}; {worker.RunningCount} running."),
            data);
    }
}
