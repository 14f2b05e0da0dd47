using System;
using Microsoft.Extensions.Logging;

namespace TypedTasks;

/// <summary>How <see cref="InMemoryBroker.RunUntilIdleAsync(IActorRegistry, InMemoryRunOptions?, IServiceProvider?, System.Threading.CancellationToken)"/> runs the queued work.</summary>
public sealed class InMemoryRunOptions
{
    /// <summary>
    /// Stop at the first attempt that throws and rethrow that exception (stack trace preserved) instead of retrying
    /// with backoff. The failed message is left as the worker settled it (usually scheduled for retry), so a test can
    /// still inspect it. Default: <see langword="true"/> — in a test, the first failure is almost always the finding.
    /// </summary>
    public bool FailFast { get; init; } = true;

    /// <summary>
    /// Treat delayed messages and scheduled retries of the consumed queues as due now, and keep running until none
    /// are left. Default: <see langword="true"/>. Set <see langword="false"/> to run only what is ready, for example to
    /// assert that a delayed message has not run yet (then advance a <c>FakeTimeProvider</c> and run again).
    /// </summary>
    public bool IncludeScheduled { get; init; } = true;

    /// <summary>
    /// Wall-clock bound of the whole run; a <see cref="TimeoutException"/> describing what is still pending is thrown
    /// when it elapses (for example when an actor keeps sending itself). Default: 30 seconds.
    /// </summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The worker's settings (concurrency, queues, middleware, defaults). <see langword="null"/> = defaults on
    /// the broker's clock. Copied, never modified.</summary>
    public WorkerOptions? Worker { get; init; }

    /// <summary>Where the worker logs; <see langword="null"/> = nowhere.</summary>
    public ILogger? Logger { get; init; }
}
