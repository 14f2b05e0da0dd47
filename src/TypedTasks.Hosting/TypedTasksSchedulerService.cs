using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TypedTasks;

namespace TypedTasks.Hosting;

/// <summary>
/// Runs a <see cref="PeriodicScheduler"/> next to the worker: in every host that runs a worker, unless
/// <c>TypedTasks:Scheduler:Enabled</c> is false, and only when the broker keeps schedules. Several hosts may all run
/// one; each tick is still sent once.
/// </summary>
/// <remarks>The scheduler writes the registry's declared schedules at start and retries broker failures itself, in
/// the background, so a Redis that is not up yet delays ticks but never the host's start.</remarks>
internal sealed class TypedTasksSchedulerService(
    ITaskBroker broker,
    IActorRegistry registry,
    IOptions<TypedTasksOptions> options,
    IOptions<SchedulerOptions> schedulerOptions,
    ILoggerFactory? loggerFactory = null) : IHostedService, IAsyncDisposable
{
    private PeriodicScheduler? _scheduler;

    /// <summary>The running scheduler, or null when this host runs none.</summary>
    internal PeriodicScheduler? Scheduler => _scheduler;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var logger = (ILogger?)loggerFactory?.CreateLogger<PeriodicScheduler>() ?? NullLogger.Instance;
        if (!options.Value.Worker.Enabled || !schedulerOptions.Value.Enabled)
        {
            HostingLog.SchedulerDisabled(logger);
            return;
        }

        if (broker.Schedules is null)
        {
            HostingLog.SchedulerUnsupported(logger, broker.ToString() ?? broker.GetType().Name);
            return;
        }

        _scheduler = new PeriodicScheduler(broker, registry, schedulerOptions.Value, logger);
        await _scheduler.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken) => _scheduler?.StopAsync(cancellationToken) ?? Task.CompletedTask;

    public ValueTask DisposeAsync() => _scheduler?.DisposeAsync() ?? ValueTask.CompletedTask;
}
