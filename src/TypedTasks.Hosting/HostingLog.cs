using Microsoft.Extensions.Logging;

namespace TypedTasks.Hosting;

/// <summary>Source-generated log messages of the hosting integration.</summary>
internal static partial class HostingLog
{
    [LoggerMessage(1, LogLevel.Information, "TypedTasks uses the in-memory broker: tasks live in this process only")]
    public static partial void UsingInMemoryBroker(ILogger logger);

    [LoggerMessage(2, LogLevel.Information, "TypedTasks uses Redis at {Endpoints}")]
    public static partial void UsingRedisBroker(ILogger logger, string endpoints);

    [LoggerMessage(3, LogLevel.Information, "TypedTasks worker is disabled in this host: it only sends tasks")]
    public static partial void WorkerDisabled(ILogger logger);

    [LoggerMessage(4, LogLevel.Information, "TypedTasks uses the in-memory broker because TypedTasks:Redis is not set and the environment is Development: tasks live in this process only")]
    public static partial void UsingInMemoryBrokerInDevelopment(ILogger logger);
}
