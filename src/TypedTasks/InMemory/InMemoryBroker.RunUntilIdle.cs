using System;
using System.Collections.Generic;
using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace TypedTasks;

public sealed partial class InMemoryBroker
{
    /// <summary>
    /// Runs the queued work with a real <see cref="TaskWorker"/> until nothing is ready or running on the consumed
    /// queues (and, by default, nothing is scheduled either) — the in-memory counterpart of Dramatiq's
    /// <c>broker.join</c>. Work that actors send while running is run too.
    /// </summary>
    /// <param name="registry">The actors to run.</param>
    /// <param name="options">How to run; <see langword="null"/> = fail fast, include scheduled messages, 30 s timeout.</param>
    /// <param name="services">When given, each message runs in its own DI scope.</param>
    /// <param name="cancellationToken">Stops the run (the worker still stops gracefully).</param>
    /// <exception cref="TimeoutException">Work was still pending after <see cref="InMemoryRunOptions.Timeout"/>.</exception>
    /// <remarks>With <see cref="InMemoryRunOptions.FailFast"/>, the first exception thrown by an actor (or a process
    /// middleware) is rethrown as is. Messages dead-lettered without an exception (unknown actor, expired) do not
    /// throw; assert on <see cref="GetDeadLetters()"/>. An unknown actor's bounded retries
    /// (<see cref="WorkerOptions.UnknownActorMaxRetries"/>) are scheduled retries too: with
    /// <see cref="InMemoryRunOptions.IncludeScheduled"/> they run at once and the run ends with the dead letter; without
    /// it the run ends with the retry scheduled.</remarks>
    public async Task RunUntilIdleAsync(IActorRegistry registry, InMemoryRunOptions? options = null, IServiceProvider? services = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registry);
        options ??= new InMemoryRunOptions();
        var workerOptions = options.Worker?.Clone() ?? new WorkerOptions { TimeProvider = TimeProvider };
        var failed = new TaskCompletionSource<ExceptionDispatchInfo>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (options.FailFast)
        {
            workerOptions.AttemptFailed = (_, exception) => failed.TrySetResult(ExceptionDispatchInfo.Capture(exception));
        }

        var worker = new TaskWorker(this, registry, workerOptions, services, options.Logger);
        await using (worker.ConfigureAwait(false))
        {
            using var timeout = new CancellationTokenSource(options.Timeout);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
            await worker.StartAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                while (!failed.Task.IsCompleted)
                {
                    Task changed;
                    lock (_gate)
                    {
                        // Checked under the gate too: a failure is reported before its retry is recorded under this
                        // gate, so a retry seen here comes with the failure already visible, and is never promoted.
                        if (failed.Task.IsCompleted)
                        {
                            break;
                        }

                        if (options.IncludeScheduled)
                        {
                            MakeScheduledDueLocked(worker.Queues);
                        }

                        if (IsIdleLocked(worker.Queues, options.IncludeScheduled))
                        {
                            break;
                        }

                        // Taken under the gate, so a change after the idle check above completes it.
                        changed = StateChangedSignal;
                    }

                    await Task.WhenAny(changed, failed.Task).WaitAsync(linked.Token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException(DescribePending(worker.Queues, options.Timeout));
            }
            finally
            {
                await worker.StopAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }

        if (failed.Task.IsCompleted)
        {
            failed.Task.Result.Throw();
        }
    }

    private void MakeScheduledDueLocked(IReadOnlyList<string> queues)
    {
        if (_scheduled.Count == 0)
        {
            return;
        }

        var keep = new List<(StoredMessage, (long, long))>();
        var promoted = false;
        while (_scheduled.TryDequeue(out var stored, out var order))
        {
            if (Contains(queues, stored.Message.Queue))
            {
                AppendReadyLocked(stored);
                promoted = true;
            }
            else
            {
                keep.Add((stored, order));
            }
        }

        _scheduled.EnqueueRange(keep);
        RescheduleTimerLocked();
        if (promoted)
        {
            SignalLocked(messagesReady: true);
        }
    }

    private string DescribePending(IReadOnlyList<string> queues, TimeSpan timeout)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"The in-memory broker was not idle after {timeout}:");
        lock (_gate)
        {
            foreach (var queue in queues)
            {
                _ready.TryGetValue(queue, out var ready);
                _inFlightByQueue.TryGetValue(queue, out var inFlight);
                text.Append(CultureInfo.InvariantCulture, $" queue '{queue}': {ready?.Count ?? 0} ready, {inFlight} running;");
            }

            text.Append(CultureInfo.InvariantCulture, $" {_scheduled.Count} scheduled. An actor that keeps sending work, or one that never returns, prevents idleness.");
        }

        return text.ToString();
    }

    private static bool Contains(IReadOnlyList<string> queues, string queue)
    {
        foreach (var candidate in queues)
        {
            if (string.Equals(candidate, queue, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
