using System;
using System.Diagnostics.CodeAnalysis;
using System.Threading;

namespace TypedTasks.Hosting.Brokers;

/// <summary>
/// Tells the worker's start-up retry which failures are passing trouble (the broker's server is not up yet, a
/// failover) and which are real errors. A transport registers one next to its broker; so may a host that registers
/// its own <see cref="ITaskBroker"/>.
/// </summary>
/// <remarks>
/// The hosting worker owns the start-up retry policy; the transport owns the classification of its own client's
/// exceptions. A failure no registered classifier calls transient fails the worker (and the host, exit code 1).
/// </remarks>
public interface ITransientFailureClassifier
{
    /// <summary>Whether <paramref name="exception"/> is worth another start attempt.</summary>
    /// <param name="exception">What the start attempt threw.</param>
    /// <param name="cancellationToken">The host's stopping token: a cancellation it asked for is not transient.</param>
    /// <param name="reason">When transient: a few words for the one log line per attempt (<c>UnableToConnect</c>, <c>timeout</c>).</param>
    bool IsTransient(Exception exception, CancellationToken cancellationToken, [NotNullWhen(true)] out string? reason);
}
