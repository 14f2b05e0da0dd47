using System;
using System.Buffers;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TypedTasks.Brokers;

namespace TypedTasks;

/// <summary>
/// Consumes messages from a broker and runs their actors: bounded concurrency, retries with backoff, time and age
/// limits, dead letters, result storage, a DI scope per message and graceful shutdown.
/// </summary>
/// <remarks>
/// <para>
/// One receive loop fetches deliveries only while the prefetch buffer has room; <see cref="WorkerOptions.Concurrency"/>
/// processing loops take them (highest priority first) and run one attempt each at a time.
/// </para>
/// <para>
/// Stopping: the receive loop stops, every fetched-but-unstarted delivery is released at once, running actors get up
/// to <see cref="WorkerOptions.ShutdownTimeout"/> to finish, then their tokens are cancelled and attempts ended by that
/// cancellation are released (handed back to the broker), never retried or failed.
/// </para>
/// </remarks>
public sealed class TaskWorker : IAsyncDisposable
{
    // Result buffers that grew past this are dropped after use instead of pinning a large array per loop.
    private const int MaxRetainedResultCapacity = 1024 * 1024;
    private static readonly TimeSpan s_firstReceiveRetryDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan s_maxReceiveRetryDelay = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan s_hurriedAbortGracePeriod = TimeSpan.FromSeconds(5);

    private readonly ITaskBroker _broker;
    private readonly IActorRegistry _registry;
    private readonly WorkerOptions _options;
    private readonly IServiceProvider? _services;
    private readonly IServiceScopeFactory? _scopeFactory;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopAccepting = new();
    private readonly CancellationTokenSource _abortRunning = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _lifecycleLock = new();

    private ITaskConsumer? _consumer;
    private AttemptProcessor? _processor;
    private PrefetchBuffer? _prefetch;
    private Task? _receiveLoop;
    private Task[]? _processingLoops;
    private Task? _startTask;
    private Task? _stopTask;
    private int _running;

    // Liveness (LastActivityAt): what the receive loop is doing, and when it last made progress (UTC ticks).
    private const int LoopBusy = 0;
    private const int LoopWaitingForRoom = 1;
    private const int LoopReceiving = 2;
    private int _loopPhase;
    private long _loopProgressTicks;
    private volatile bool _isRunning;

    /// <summary>Creates a worker. Nothing is consumed until <see cref="StartAsync"/>.</summary>
    /// <param name="broker">Where messages come from and outcomes go.</param>
    /// <param name="registry">The actors this worker can run.</param>
    /// <param name="options">Settings; <see langword="null"/> = defaults. Read once, here.</param>
    /// <param name="services">When given, each message runs in its own async DI scope (needs <see cref="IServiceScopeFactory"/>).</param>
    /// <param name="logger">Where the worker logs; <see langword="null"/> = nowhere.</param>
    public TaskWorker(ITaskBroker broker, IActorRegistry registry, WorkerOptions? options = null, IServiceProvider? services = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(broker);
        ArgumentNullException.ThrowIfNull(registry);
        options ??= new WorkerOptions();
        options.Validate();
        _broker = broker;
        _registry = registry;
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        _services = services;
        if (services is not null)
        {
            _scopeFactory = services.GetService(typeof(IServiceScopeFactory)) as IServiceScopeFactory
                ?? throw new ArgumentException("The service provider has no IServiceScopeFactory, so the worker cannot create a scope per message.", nameof(services));
        }

        Queues = options.Queues ?? QueuesOf(registry);
        if (Queues.Count == 0)
        {
            throw new ArgumentException("The registry holds no actors and no queues were configured: there is nothing to consume.", nameof(registry));
        }
    }

    /// <summary>The queues this worker consumes, in order of preference.</summary>
    public IReadOnlyList<string> Queues { get; }

    /// <summary>How many attempts are running right now.</summary>
    public int RunningCount => Volatile.Read(ref _running);

    /// <summary>Whether the worker is consuming: started, and not stopping or stopped.</summary>
    public bool IsRunning => _isRunning;

    /// <summary>
    /// When the receive loop last showed it is alive, on <see cref="WorkerOptions.TimeProvider"/>; <see langword="null"/>
    /// unless <see cref="IsRunning"/>. Alive means: a receive returned deliveries; or the loop waits for messages and its
    /// consumer last completed a read then (<see cref="ITaskConsumer.LastReadAt"/>: a Redis consumer reads at least every
    /// <c>PollInterval</c> while idle; a consumer that does not report it counts as alive while it waits); or every
    /// processing slot is busy, so the loop rightly waits for room (now). While receiving fails (the loop backs off and
    /// retries) or the consumer cannot read, the value stays behind: a health check compares it with a threshold.
    /// </summary>
    public DateTimeOffset? LastActivityAt
    {
        get
        {
            if (!_isRunning)
            {
                return null;
            }

            var progress = new DateTimeOffset(Interlocked.Read(ref _loopProgressTicks), TimeSpan.Zero);
            switch (Volatile.Read(ref _loopPhase))
            {
                case LoopWaitingForRoom:
                    return _options.TimeProvider.GetUtcNow();
                case LoopReceiving:
                    if (_consumer?.LastReadAt is not { } read)
                    {
                        return _options.TimeProvider.GetUtcNow();
                    }

                    return read > progress ? read : progress;
                default:
                    return progress;
            }
        }
    }

    /// <summary>Completes once the worker has stopped: every delivery settled or handed back, the consumer disposed.</summary>
    public Task Completion => _completion.Task;

    /// <summary>Opens the consumer and starts the receive and processing loops. Calling it again returns the first call's task.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        lock (_lifecycleLock)
        {
            if (_stopTask is not null)
            {
                throw new InvalidOperationException("A stopped worker cannot be restarted; create a new one.");
            }

            return _startTask ??= StartCoreAsync(cancellationToken);
        }
    }

    /// <summary>Stops gracefully (see the class remarks). Cancelling <paramref name="cancellationToken"/> cuts the
    /// grace period short: running actors are cancelled at once.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default)
    {
        lock (_lifecycleLock)
        {
            if (_startTask is null)
            {
                _stopTask ??= Task.CompletedTask;
                _completion.TrySetResult();
            }

            // Run outside the lock: nothing StopCoreAsync calls synchronously may re-enter it here.
            return _stopTask ??= Task.Run(() => StopCoreAsync(cancellationToken), CancellationToken.None);
        }
    }

    /// <summary>Starts, runs until <paramref name="stoppingToken"/> is cancelled, then stops gracefully.</summary>
    public async Task RunAsync(CancellationToken stoppingToken)
    {
        await StartAsync(stoppingToken).ConfigureAwait(false);
        var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (stoppingToken.Register(static state => ((TaskCompletionSource)state!).TrySetResult(), stopped))
        {
            await stopped.Task.ConfigureAwait(false);
        }

        await StopAsync(CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Stops gracefully.</summary>
    /// <remarks>The cancellation sources are left to the garbage collector on purpose: an abandoned actor may still
    /// hold their tokens, and sources without timers own no unmanaged resources.</remarks>
    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None).ConfigureAwait(false);

    private async Task StartCoreAsync(CancellationToken cancellationToken)
    {
        if (_options.ValidateDependencies && _services?.GetService(typeof(IServiceProviderIsService)) is IServiceProviderIsService container)
        {
            ValidateDependencies(container);
        }

        var prefetch = _options.EffectivePrefetch;
        var consumerOptions = new ConsumerOptions
        {
            Queues = Queues,
            ConsumerName = _options.ConsumerName,
            BatchSize = prefetch,
            TimeProvider = _options.TimeProvider,
            RunningCount = () => RunningCount,
        };
        _consumer = await _broker.CreateConsumerAsync(consumerOptions, cancellationToken).ConfigureAwait(false);
        AttemptSlot[]? slots = null;
        if (_consumer.Cancellations is not null)
        {
            slots = new AttemptSlot[_options.Concurrency];
            for (var i = 0; i < slots.Length; i++)
            {
                slots[i] = new AttemptSlot(_abortRunning.Token);
            }
        }

        _processor = new AttemptProcessor(_broker, _consumer, _options, _scopeFactory, _logger, slots);
        _prefetch = new PrefetchBuffer(prefetch);

        var loops = new Task[_options.Concurrency];
        for (var i = 0; i < loops.Length; i++)
        {
            var slot = slots?[i];
            loops[i] = Task.Run(() => ProcessLoopAsync(slot), CancellationToken.None);
        }

        _processingLoops = loops;
        MarkLoopProgress();
        _isRunning = true;
        _receiveLoop = Task.Run(ReceiveLoopAsync, CancellationToken.None);
        WorkerLog.Started(_logger, string.Join(", ", Queues), _options.Concurrency, prefetch);
    }

    private async Task StopCoreAsync(CancellationToken cancellationToken)
    {
        try
        {
            try
            {
                await _startTask!.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // The start failed and already told its caller; there is nothing running to stop.
                return;
            }

            _isRunning = false;
            await _stopAccepting.CancelAsync().ConfigureAwait(false);
            await _receiveLoop!.ConfigureAwait(false);

            var unstarted = _prefetch!.Close();
            await ReleaseAllAsync(unstarted).ConfigureAwait(false);

            var processing = Task.WhenAll(_processingLoops!);
            WorkerLog.Stopping(_logger, unstarted.Count, _options.ShutdownTimeout, RunningCount);
            if (!await FinishesWithinAsync(processing, _options.ShutdownTimeout, cancellationToken).ConfigureAwait(false))
            {
                WorkerLog.ShutdownTimeoutElapsed(_logger);
                await _abortRunning.CancelAsync().ConfigureAwait(false);

                // Cancelled actors normally return promptly, and their attempts must be handed back before the
                // consumer goes away. A caller that is already out of patience still grants a short, bounded wait.
                var hurried = cancellationToken.IsCancellationRequested;
                var wait = hurried ? s_hurriedAbortGracePeriod : Timeout.InfiniteTimeSpan;
                if (!await FinishesWithinAsync(processing, wait, hurried ? CancellationToken.None : cancellationToken).ConfigureAwait(false))
                {
                    WorkerLog.ActorsAbandoned(_logger);
                }
            }

            // Acks leave the processing loops before the broker confirms them; they need the consumer until then. Like
            // running actors, they get a short, bounded wait once the caller is out of patience (an unconfirmed ack
            // leaves its message pending, so the broker redelivers it: at-least-once holds either way).
            var acks = _processor!.WhenAcksDrainedAsync();
            if (!await FinishesWithinAsync(acks, Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false)
                && !await FinishesWithinAsync(acks, s_hurriedAbortGracePeriod, CancellationToken.None).ConfigureAwait(false))
            {
                WorkerLog.AcksAbandoned(_logger, _processor.OutstandingAckCount);
            }

            _processor.DetachCancellations();
            try
            {
                await _consumer!.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                WorkerLog.ConsumerDisposeFailed(_logger, exception);
            }

            WorkerLog.Stopped(_logger);
        }
        finally
        {
            _completion.TrySetResult();
        }
    }

    private async Task<bool> FinishesWithinAsync(Task task, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await task.WaitAsync(timeout, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private async Task ReleaseAllAsync(List<PendingDelivery> unstarted)
    {
        if (unstarted.Count == 0)
        {
            return;
        }

        // Started together so a remote broker pipelines them instead of paying one round trip each.
        var releases = new Task<bool>[unstarted.Count];
        for (var i = 0; i < releases.Length; i++)
        {
            releases[i] = _processor!.ReleaseAsync(unstarted[i].Delivery).AsTask();
        }

        await Task.WhenAll(releases).ConfigureAwait(false);
    }

    private async Task ReceiveLoopAsync()
    {
        var stopToken = _stopAccepting.Token;
        var consumer = _consumer!;
        var prefetch = _prefetch!;
        var buffer = new TaskDelivery[_options.EffectivePrefetch];
        var errorDelay = s_firstReceiveRetryDelay;
        while (!stopToken.IsCancellationRequested)
        {
            int reserved;
            // While receives fail and the loop retries, neither waiting for room nor the retry itself counts as
            // progress: the phase stays Busy, so LastActivityAt stays behind however a health check's read falls.
            var retrying = errorDelay != s_firstReceiveRetryDelay;
            Volatile.Write(ref _loopPhase, retrying ? LoopBusy : LoopWaitingForRoom);
            try
            {
                reserved = await prefetch.ReserveRoomAsync(buffer.Length, stopToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            int received;
            if (!retrying)
            {
                // The wait for room was progress; a retry after a failed receive is not (it would hide the failures).
                MarkLoopProgress();
            }

            Volatile.Write(ref _loopPhase, retrying ? LoopBusy : LoopReceiving);
            try
            {
                received = await consumer.ReceiveAsync(buffer.AsMemory(0, reserved), stopToken).ConfigureAwait(false);
                MarkLoopProgress();
                Volatile.Write(ref _loopPhase, LoopBusy);
            }
            catch (OperationCanceledException) when (stopToken.IsCancellationRequested)
            {
                prefetch.ReturnRoom(reserved);
                break;
            }
            catch (Exception exception)
            {
                Volatile.Write(ref _loopPhase, LoopBusy);
                prefetch.ReturnRoom(reserved);
                WorkerLog.ReceiveFailed(_logger, exception, errorDelay);
                if (!await DelayUnlessStoppedAsync(errorDelay, stopToken).ConfigureAwait(false))
                {
                    break;
                }

                errorDelay = errorDelay * 2 < s_maxReceiveRetryDelay ? errorDelay * 2 : s_maxReceiveRetryDelay;
                continue;
            }

            errorDelay = s_firstReceiveRetryDelay;
            prefetch.ReturnRoom(reserved - received);
            for (var i = 0; i < received; i++)
            {
                var delivery = buffer[i];
                buffer[i] = null!;
                _registry.TryGetActor(delivery.Message.Actor, out var actor);
                if (!prefetch.TryAdd(new PendingDelivery(delivery, actor)))
                {
                    // Shutdown closed the buffer between the receive and now.
                    await _processor!.ReleaseAsync(delivery).ConfigureAwait(false);
                }
            }
        }
    }

    private void MarkLoopProgress() => Interlocked.Exchange(ref _loopProgressTicks, _options.TimeProvider.GetUtcNow().UtcTicks);

    private async Task<bool> DelayUnlessStoppedAsync(TimeSpan delay, CancellationToken stopToken)
    {
        try
        {
            await Task.Delay(delay, _options.TimeProvider, stopToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task ProcessLoopAsync(AttemptSlot? slot)
    {
        var stopToken = _stopAccepting.Token;
        var abortToken = _abortRunning.Token;
        var prefetch = _prefetch!;
        var processor = _processor!;
        var resultWriter = new ArrayBufferWriter<byte>(256);
        while (true)
        {
            PendingDelivery? next;
            try
            {
                next = await prefetch.TakeAsync(stopToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (next is not { } pending)
            {
                return;
            }

            Interlocked.Increment(ref _running);
            try
            {
                await processor.ProcessAsync(pending, resultWriter, slot, abortToken).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Decrement(ref _running);
            }

            if (resultWriter.Capacity > MaxRetainedResultCapacity)
            {
                resultWriter = new ArrayBufferWriter<byte>(256);
            }
        }
    }

    /// <summary>
    /// Refuses to start when an instance actor of the consumed queues cannot be built from the container: every task
    /// for it would fail, so the host should not come up looking healthy. One log entry per actor, one exception for all.
    /// </summary>
    /// <remarks>Only actors whose default queue this worker consumes are checked, so workers that share one registry
    /// but serve different queues need only their own actors' services. A message routed elsewhere by
    /// <see cref="SendOptions.Queue"/> still fails cleanly at run time (dead-lettered as non-retryable).</remarks>
    private void ValidateDependencies(IServiceProviderIsService container)
    {
        System.Text.StringBuilder? problems = null;
        foreach (var actor in _registry.Actors)
        {
            if (actor.InstanceType is not { } instanceType || !Consumes(actor.Queue) || container.IsService(instanceType))
            {
                continue;
            }

            string? missing = null;
            foreach (var dependency in actor.Dependencies)
            {
                if (!container.IsService(dependency))
                {
                    missing = missing is null ? "'" + dependency + "'" : missing + ", '" + dependency + "'";
                }
            }

            if (missing is null)
            {
                continue;
            }

            WorkerLog.MissingDependencies(_logger, actor.Name, missing);
            problems ??= new System.Text.StringBuilder();
            problems.Append(System.Globalization.CultureInfo.InvariantCulture, $"{Environment.NewLine}  actor '{actor.Name}' ({instanceType}) needs {missing}");
        }

        if (problems is not null)
        {
            throw new InvalidOperationException(
                "The worker cannot start: the service provider lacks services that instance actors need, so their tasks could never run."
                + problems
                + Environment.NewLine
                + "Register the services (or the actor types themselves), or set WorkerOptions.ValidateDependencies to false.");
        }
    }

    private bool Consumes(string queue)
    {
        foreach (var consumed in Queues)
        {
            if (string.Equals(consumed, queue, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static string[] QueuesOf(IActorRegistry registry)
    {
        var queues = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var actor in registry.Actors)
        {
            queues.Add(actor.Queue);
        }

        var result = new string[queues.Count];
        queues.CopyTo(result);
        return result;
    }
}
