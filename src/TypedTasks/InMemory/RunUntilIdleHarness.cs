using System;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;

namespace TypedTasks;

/// <summary>
/// <see cref="InMemoryBroker.RunUntilIdleAsync(IActorRegistry, InMemoryRunOptions?, IServiceProvider?, CancellationToken)"/>:
/// a test harness built on the public seams only — a plain <see cref="TaskWorker"/> on the broker, an outermost
/// <see cref="IProcessMiddleware"/> that observes failures, and the broker's own state to decide idleness. The
/// worker knows nothing about it.
/// </summary>
internal static class RunUntilIdleHarness
{
    public static async Task RunAsync(InMemoryBroker broker, IActorRegistry registry, InMemoryRunOptions options, IServiceProvider? services, CancellationToken cancellationToken)
    {
        var state = broker.State;
        var workerOptions = options.Worker?.Clone() ?? new WorkerOptions { TimeProvider = broker.TimeProvider };
        var failure = new FirstFailure();
        if (options.FailFast)
        {
            // Outermost, so it sees what actors and every other middleware throw — and sees it before the worker
            // settles the attempt (records the retry or the dead letter). See the loop below for why that matters.
            workerOptions.Middleware.Insert(0, failure);
        }

        var worker = new TaskWorker(broker, registry, workerOptions, services, options.Logger);
        await using (worker.ConfigureAwait(false))
        {
            using var timeout = new CancellationTokenSource(options.Timeout);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
            await worker.StartAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                while (true)
                {
                    Task changed;
                    lock (state.Gate)
                    {
                        // Checked under the gate: the failure is recorded before the worker settles the attempt, and
                        // settling takes this gate, so a retry visible here comes with its failure already visible,
                        // and is never promoted below to run again.
                        if (failure.Observed.IsCompleted)
                        {
                            break;
                        }

                        if (options.IncludeScheduled)
                        {
                            state.MakeScheduledDueLocked(worker.Queues);
                        }

                        if (state.IsIdleLocked(worker.Queues, options.IncludeScheduled))
                        {
                            break;
                        }

                        // Taken under the gate, so a change after the idle check above completes it.
                        changed = state.StateChanged;
                    }

                    await Task.WhenAny(changed, failure.Observed).WaitAsync(linked.Token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException(
                    $"The in-memory broker was not idle after {options.Timeout}:{state.DescribePending(worker.Queues)} "
                    + "An actor that keeps sending work, or one that never returns, prevents idleness.");
            }
            finally
            {
                await worker.StopAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }

        if (failure.Observed.IsCompleted)
        {
            failure.Observed.Result.Throw();
        }
    }

    /// <summary>Records the first exception to leave the pipeline, with its stack, and lets it go on to the worker.</summary>
    private sealed class FirstFailure : IProcessMiddleware
    {
        private readonly TaskCompletionSource<ExceptionDispatchInfo> _observed = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<ExceptionDispatchInfo> Observed => _observed.Task;

        public async ValueTask ProcessAsync(TaskContext context, ProcessDelegate next)
        {
            try
            {
                await next(context).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                _observed.TrySetResult(ExceptionDispatchInfo.Capture(exception));
                throw;
            }
        }
    }
}
