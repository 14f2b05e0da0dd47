using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TypedTasks;

namespace TypedTasks.Hosting;

/// <summary>Runs a <see cref="TaskWorker"/> for the lifetime of the host (unless the worker is disabled).</summary>
internal sealed class TypedTasksWorkerService(
    ITaskBroker broker,
    IActorRegistry registry,
    IOptions<TypedTasksOptions> options,
    IEnumerable<WorkerOptionsConfigurator> configurators,
    IEnumerable<IProcessMiddleware> middleware,
    TimeProvider timeProvider,
    IServiceProvider services,
    ILoggerFactory? loggerFactory = null) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value.Worker;
        var logger = (ILogger?)loggerFactory?.CreateLogger<TaskWorker>() ?? NullLogger.Instance;
        if (!settings.Enabled)
        {
            HostingLog.WorkerDisabled(logger);
            return;
        }

        var workerOptions = BuildWorkerOptions(settings);
        var worker = new TaskWorker(broker, registry, workerOptions, services, logger);
        await using (worker.ConfigureAwait(false))
        {
            await worker.RunAsync(stoppingToken).ConfigureAwait(false);
        }
    }

    private WorkerOptions BuildWorkerOptions(TypedTasksWorkerSettings settings)
    {
        var workerOptions = new WorkerOptions { TimeProvider = timeProvider };
        if (settings.Queues.Count > 0)
        {
            workerOptions.Queues = settings.Queues.ToArray();
        }

        if (settings.Concurrency is { } concurrency)
        {
            workerOptions.Concurrency = concurrency;
        }

        if (settings.Prefetch is { } prefetch)
        {
            workerOptions.Prefetch = prefetch;
        }

        if (settings.ShutdownTimeout is { } shutdown)
        {
            workerOptions.ShutdownTimeout = shutdown;
        }

        if (settings.ResultTimeToLive is { } ttl)
        {
            workerOptions.ResultTimeToLive = ttl;
        }

        workerOptions.ConsumerName = settings.ConsumerName;
        foreach (var item in middleware)
        {
            workerOptions.Middleware.Add(item);
        }

        foreach (var configurator in configurators)
        {
            configurator.Configure(workerOptions);
        }

        return workerOptions;
    }
}
