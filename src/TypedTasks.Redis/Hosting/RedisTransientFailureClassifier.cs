using System;
using System.Diagnostics.CodeAnalysis;
using System.Threading;
using StackExchange.Redis;
using TypedTasks.Hosting.Brokers;
using TypedTasks.Redis.Internal;

namespace TypedTasks.Redis.Hosting;

/// <summary>
/// The hosting worker's start-up retry asks this which failures are passing Redis trouble: the same classification
/// (<see cref="RedisFailures.IsTransient"/>) the broker's own retries use, so there is one.
/// </summary>
internal sealed class RedisTransientFailureClassifier : ITransientFailureClassifier
{
    public bool IsTransient(Exception exception, CancellationToken cancellationToken, [NotNullWhen(true)] out string? reason)
    {
        if (!RedisFailures.IsTransient(exception, cancellationToken))
        {
            reason = null;
            return false;
        }

        reason = Describe(exception);
        return true;
    }

    /// <summary>A few words for the log line; the whole exception goes to the Debug line.</summary>
    private static string Describe(Exception exception)
    {
        // StackExchange.Redis wraps the connection's own failure in a backlog timeout: the inner one says more.
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is RedisConnectionException { InnerException: not RedisConnectionException } connection)
            {
                return connection.FailureType.ToString();
            }
        }

        return exception switch
        {
            RedisTimeoutException => "timeout",
            RedisServerException server => server.Message.Split(' ', 2)[0],
            OperationCanceledException => "command abandoned by a failing connection",
            _ => exception.GetType().Name,
        };
    }
}
