using System;
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
    public Task RunUntilIdleAsync(IActorRegistry registry, InMemoryRunOptions? options = null, IServiceProvider? services = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return RunUntilIdleHarness.RunAsync(this, registry, options ?? new InMemoryRunOptions(), services, cancellationToken);
    }
}
