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
/// <remarks>
/// The worker is built in <see cref="StartAsync"/> rather than in <see cref="ExecuteAsync"/> so a host that stops
/// right after starting always finds it, and <see cref="StopAsync"/> passes the host's shutdown token on: when the
/// host's own timeout runs out, running actors are cancelled and handed back instead of being abandoned.
/// </remarks>
internal sealed class TypedTasksWorkerService(
    ITaskBroker broker,
    IActorRegistry registry,
    IOptions<TypedTasksOptions> options,
    IEnumerable<WorkerOptionsConfigurator> configurators,
    IEnumerable<IProcessMiddleware> middleware,
    TimeProvider timeProvider,
    IServiceProvider services,
    ILoggerFactory? loggerFactory = null) : BackgroundService, IAsyncDisposable
{
    private TaskWorker? _worker;

    /// <summary>The running worker, or <see langword="null"/> when this host runs none.</summary>
    internal TaskWorker? Worker => _worker;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value.Worker;
        var logger = (ILogger?)loggerFactory?.CreateLogger<TaskWorker>() ?? NullLogger.Instance;
        if (!settings.Enabled)
        {
            HostingLog.WorkerDisabled(logger);
            return Task.CompletedTask;
        }

        _worker = new TaskWorker(broker, registry, BuildWorkerOptions(settings), services, logger);
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A failed start (for example Redis unreachable) surfaces here and, by the host's default
        // BackgroundServiceExceptionBehavior, stops the host instead of leaving a worker that consumes nothing.
        await _worker!.StartAsync(stoppingToken).ConfigureAwait(false);
        await _worker.Completion.ConfigureAwait(false);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_worker is null)
        {
            return;
        }

        // Stop the worker first: it releases unstarted work and waits for running actors, cut short by the host's token.
        await _worker.StopAsync(cancellationToken).ConfigureAwait(false);
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        // Normally already stopped by StopAsync; a host disposed without stopping still stops gracefully here.
        if (_worker is not null)
        {
            await _worker.DisposeAsync().ConfigureAwait(false);
        }

        Dispose();
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
