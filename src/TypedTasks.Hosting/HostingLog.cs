using System;
using Microsoft.Extensions.Logging;

namespace TypedTasks.Hosting;

/// <summary>Source-generated log messages of the hosting integration.</summary>
internal static partial class HostingLog
{
    [LoggerMessage(1, LogLevel.Information, "TypedTasks uses the in-memory broker: tasks live in this process only")]
    public static partial void UsingInMemoryBroker(ILogger logger);

    // Event ids 2, 9 and 10 (Redis connection lines) moved to TypedTasks.Redis with UseRedis(); never reuse them here.

    [LoggerMessage(3, LogLevel.Information, "TypedTasks worker is disabled in this host: it only sends tasks")]
    public static partial void WorkerDisabled(ILogger logger);

    [LoggerMessage(4, LogLevel.Information, "TypedTasks uses the in-memory broker because no broker is configured and the environment is Development: tasks live in this process only")]
    public static partial void UsingInMemoryBrokerInDevelopment(ILogger logger);

    [LoggerMessage(5, LogLevel.Warning, "TypedTasks worker is waiting for {Broker} (attempt {Attempt}, retrying in {DelaySeconds} s): {Reason}")]
    public static partial void WaitingForBroker(ILogger logger, string broker, int attempt, string delaySeconds, string reason);

    [LoggerMessage(6, LogLevel.Debug, "TypedTasks worker start attempt {Attempt} failed")]
    public static partial void StartAttemptFailed(ILogger logger, Exception exception, int attempt);

    [LoggerMessage(7, LogLevel.Information, "TypedTasks worker reached {Broker} after {ElapsedSeconds} s (attempt {Attempt})")]
    public static partial void BrokerReached(ILogger logger, string broker, string elapsedSeconds, int attempt);

    [LoggerMessage(8, LogLevel.Critical, "TypedTasks worker could not reach {Broker} within TypedTasks:Worker:StartTimeout ({StartTimeout}, {Attempts} attempt(s), last: {Reason}); stopping the host with exit code 1")]
    public static partial void StartTimedOut(ILogger logger, string broker, TimeSpan startTimeout, int attempts, string reason);



    [LoggerMessage(11, LogLevel.Information, "TypedTasks scheduler is disabled in this host (TypedTasks:Scheduler:Enabled is false): it sends no periodic ticks")]
    public static partial void SchedulerDisabled(ILogger logger);

    [LoggerMessage(12, LogLevel.Warning, "TypedTasks scheduler does not run: the broker {Broker} keeps no schedules")]
    public static partial void SchedulerUnsupported(ILogger logger, string broker);
}
