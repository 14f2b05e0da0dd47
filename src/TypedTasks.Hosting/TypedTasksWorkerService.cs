using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using TypedTasks;
using TypedTasks.Hosting.Brokers;

namespace TypedTasks.Hosting;

/// <summary>Runs a <see cref="TaskWorker"/> for the lifetime of the host (unless the worker is disabled), and next to
/// it a <see cref="PeriodicScheduler"/> (unless <c>TypedTasks:Scheduler:Enabled</c> is false or the broker keeps no
/// schedules).</summary>
/// <remarks>
/// <para>
/// This service owns the start-up retry policy: a start that fails for a transient reason (Redis not up yet, a
/// failover) is retried with a fresh worker and capped backoff, one readable log line per attempt, until it succeeds,
/// the host stops or <see cref="TypedTasksWorkerSettings.StartTimeout"/> runs out. <see cref="TaskWorker.StartAsync"/>
/// itself tries once, so no retry loop nests inside another. Which failures are transient is the transport's call
/// (its <see cref="ITransientFailureClassifier"/>): only it knows its client's exceptions.
/// </para>
/// <para>
/// Any failure of the worker sets <see cref="Environment.ExitCode"/> to 1: .NET 10's host stops on a failed
/// <see cref="BackgroundService"/> (<see cref="BackgroundServiceExceptionBehavior.StopHost"/>) but its
/// <c>RunAsync</c> still returns normally, so the process would exit 0 and a <c>restart: on-failure</c> supervisor
/// would never restart it.
/// </para>
/// <para>
/// The first worker is built in <see cref="StartAsync"/> so configuration errors fail the host's start and a host that
/// stops right after starting always finds it. <see cref="StopAsync"/> passes the host's shutdown token on: when the
/// host's own timeout runs out, running actors are cancelled and handed back instead of being abandoned.
/// </para>
/// <para>
/// The scheduler starts once the worker has started, so the start-up retry above is the only one that waits for the
/// broker, and it stops before the worker: the worker keeps running what the last ticks sent. Several hosts may all
/// run one; each tick is still sent once.
/// </para>
/// </remarks>
internal sealed class TypedTasksWorkerService(
    ITaskBroker broker,
    IActorRegistry registry,
    IOptions<TypedTasksOptions> options,
    IOptionsFactory<WorkerOptions> workerOptions,
    IOptions<SchedulerOptions> schedulerOptions,
    IEnumerable<ITransientFailureClassifier> classifiers,
    TimeProvider timeProvider,
    IServiceProvider services,
    ILoggerFactory? loggerFactory = null) : BackgroundService, IAsyncDisposable
{
    private static readonly TimeSpan s_firstStartRetryDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_maxStartRetryDelay = TimeSpan.FromSeconds(15);

    private ILogger _logger = NullLogger.Instance;
    private TaskWorker? _worker;
    private PeriodicScheduler? _scheduler;
    private volatile bool _workerStarted;
    private volatile WorkerServiceState _state;
    private volatile string? _failure;
    private int _startAttempts;

    /// <summary>The current worker (the one starting, or the running one), or <see langword="null"/> when this host runs none.</summary>
    internal TaskWorker? Worker => Volatile.Read(ref _worker);

    /// <summary>The running scheduler, or <see langword="null"/> when this host runs none (yet).</summary>
    internal PeriodicScheduler? Scheduler => Volatile.Read(ref _scheduler);

    /// <summary>Where this service is in its life (the worker health check reads it).</summary>
    internal WorkerServiceState State => _state;

    /// <summary>Why the worker failed, when <see cref="State"/> is <see cref="WorkerServiceState.Failed"/>.</summary>
    internal string? Failure => _failure;

    /// <summary>How many times the worker's start was tried so far.</summary>
    internal int StartAttempts => Volatile.Read(ref _startAttempts);

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value.Worker;
        _logger = (ILogger?)loggerFactory?.CreateLogger<TaskWorker>() ?? NullLogger.Instance;
        if (!settings.Enabled)
        {
            _state = WorkerServiceState.Disabled;
            HostingLog.WorkerDisabled(_logger);
            return Task.CompletedTask;
        }

        _worker = CreateWorker();
        _state = WorkerServiceState.Starting;
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var worker = await StartWithRetriesAsync(stoppingToken).ConfigureAwait(false);
            if (worker is null)
            {
                return;
            }

            await StartSchedulerAsync(stoppingToken).ConfigureAwait(false);

            // The worker completes only once stopped; StopAsync does that after this method has returned.
            await worker.Completion.WaitAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (Exception) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping (a start attempt it cut short is no failure): StopAsync stops the worker.
        }
        catch (Exception exception)
        {
            Fail(exception.GetType().Name + ": " + exception.Message);
            SetFailureExitCode();
            throw;
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _worker) is null)
        {
            return;
        }

        if (_state != WorkerServiceState.Failed)
        {
            _state = WorkerServiceState.Stopped;
        }

        // Cancel the start-up first, so no new attempt begins, and wait for ExecuteAsync to return.
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (Volatile.Read(ref _scheduler) is { } scheduler)
        {
            await scheduler.StopAsync(cancellationToken).ConfigureAwait(false);
        }

        var worker = Volatile.Read(ref _worker)!;
        if (_workerStarted)
        {
            // It releases unstarted work and waits for running actors, cut short by the host's token.
            await worker.StopAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        // A start attempt may still be in flight (the broker's own timeouts bound it): the worker's stop waits for it
        // and disposes whatever it opened. The host waits for that only as long as its token allows.
        try
        {
            await worker.StopAsync(CancellationToken.None).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Normally already stopped by StopAsync; a host disposed without stopping still stops gracefully here.
        if (Volatile.Read(ref _scheduler) is { } scheduler)
        {
            await scheduler.DisposeAsync().ConfigureAwait(false);
        }

        if (Volatile.Read(ref _worker) is { } worker)
        {
            await worker.DisposeAsync().ConfigureAwait(false);
        }

        Dispose();
    }

    private async Task StartSchedulerAsync(CancellationToken stoppingToken)
    {
        var logger = (ILogger?)loggerFactory?.CreateLogger<PeriodicScheduler>() ?? NullLogger.Instance;
        if (!schedulerOptions.Value.Enabled)
        {
            HostingLog.SchedulerDisabled(logger);
            return;
        }

        if (broker.Schedules is null)
        {
            HostingLog.SchedulerUnsupported(logger, DescribeBroker());
            return;
        }

        var scheduler = new PeriodicScheduler(broker, registry, schedulerOptions.Value, logger);
        Volatile.Write(ref _scheduler, scheduler);
        await scheduler.StartAsync(stoppingToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Starts the current worker, retrying transient failures with a fresh worker each time (a worker whose start
    /// failed cannot be started again). Returns <see langword="null"/> when the host stopped first, or when
    /// <see cref="TypedTasksWorkerSettings.StartTimeout"/> ran out (the host is then being stopped with exit code 1).
    /// </summary>
    private async Task<TaskWorker?> StartWithRetriesAsync(CancellationToken stoppingToken)
    {
        var startTimeout = options.Value.Worker.StartTimeout;
        var brokerName = DescribeBroker();
        var startedAt = timeProvider.GetTimestamp();
        var delay = s_firstStartRetryDelay;
        for (var attempt = 1; ; attempt++)
        {
            var worker = Volatile.Read(ref _worker)!;
            Volatile.Write(ref _startAttempts, attempt);
            try
            {
                // The broker may not honour the token while it waits for a connection; the host's stop must not wait.
                await worker.StartAsync(stoppingToken).WaitAsync(stoppingToken).ConfigureAwait(false);
                _workerStarted = true;
                if (_state == WorkerServiceState.Starting)
                {
                    _state = WorkerServiceState.Running;
                }

                if (attempt > 1)
                {
                    HostingLog.BrokerReached(_logger, brokerName, Seconds(timeProvider.GetElapsedTime(startedAt), "0.0"), attempt);
                }

                return worker;
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested && IsTransient(exception, stoppingToken, out var reason))
            {
                HostingLog.StartAttemptFailed(_logger, exception, attempt);
                var elapsed = timeProvider.GetElapsedTime(startedAt);
                if (startTimeout is { } limit)
                {
                    if (elapsed >= limit)
                    {
                        HostingLog.StartTimedOut(_logger, brokerName, limit, attempt, reason);
                        Fail($"{brokerName} was not reachable within the start timeout ({limit}): {reason}");
                        SetFailureExitCode();
                        services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
                        return null;
                    }

                    // The last attempt comes when the time is up, not a whole backoff later.
                    delay = delay < limit - elapsed ? delay : limit - elapsed;
                }

                HostingLog.WaitingForBroker(_logger, brokerName, attempt, Seconds(delay, "0.#"), reason);
                try
                {
                    await Task.Delay(delay, timeProvider, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return null;
                }

                delay = delay * 2 < s_maxStartRetryDelay ? delay * 2 : s_maxStartRetryDelay;
                Volatile.Write(ref _worker, CreateWorker());
            }
        }
    }

    /// <summary>
    /// A fresh <see cref="WorkerOptions"/> per worker: <c>TypedTasks:Worker</c>, the host's clock and middleware, then
    /// <see cref="TypedTasksBuilder.ConfigureWorker"/>, applied by the options factory.
    /// </summary>
    private TaskWorker CreateWorker() => new(broker, registry, workerOptions.Create(Options.DefaultName), services, _logger);

    /// <summary>Who the worker waits for, as an operator would name it: the broker's own description (<c>Redis at host:port</c>).</summary>
    private string DescribeBroker()
    {
        var description = broker.ToString();
        return string.IsNullOrEmpty(description) || description == broker.GetType().ToString()
            ? "the broker (" + broker.GetType().Name + ")"
            : description;
    }

    /// <summary>Whether any transport's classifier calls the failure passing trouble, and its few words for the log line.</summary>
    private bool IsTransient(Exception exception, CancellationToken stoppingToken, [NotNullWhen(true)] out string? reason)
    {
        foreach (var classifier in classifiers)
        {
            if (classifier.IsTransient(exception, stoppingToken, out reason))
            {
                return true;
            }
        }

        reason = null;
        return false;
    }

    private static string Seconds(TimeSpan duration, string format) => duration.TotalSeconds.ToString(format, CultureInfo.InvariantCulture);

    private void Fail(string reason)
    {
        _failure = reason;
        _state = WorkerServiceState.Failed;
    }

    private static void SetFailureExitCode()
    {
        // A code the application already chose (another failure) is kept.
        if (Environment.ExitCode == 0)
        {
            Environment.ExitCode = 1;
        }
    }
}

/// <summary>The life of <see cref="TypedTasksWorkerService"/>, as the worker health check reports it.</summary>
internal enum WorkerServiceState
{
    /// <summary>The host has not started it yet.</summary>
    NotStarted,

    /// <summary>This host runs no worker (<c>WithoutWorker()</c>, <c>TypedTasks:Worker:Enabled=false</c>).</summary>
    Disabled,

    /// <summary>Starting, possibly retrying while the broker is unreachable.</summary>
    Starting,

    /// <summary>The worker runs.</summary>
    Running,

    /// <summary>The host stopped it.</summary>
    Stopped,

    /// <summary>Its start gave up or the worker failed; the host is stopping with exit code 1.</summary>
    Failed,
}
