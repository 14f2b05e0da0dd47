using Microsoft.Extensions.Logging;

namespace TypedTasks.Redis.Hosting;

/// <summary>Source-generated log lines of <c>UseRedis()</c>.</summary>
/// <remarks>The event ids are the ones these lines had in TypedTasks.Hosting, so log queries keep working.</remarks>
internal static partial class RedisHostingLog
{
    [LoggerMessage(2, LogLevel.Information, "TypedTasks uses Redis at {Endpoints}")]
    public static partial void UsingRedisBroker(ILogger logger, string endpoints);

    [LoggerMessage(9, LogLevel.Warning, "Redis at {Endpoints} is not reachable yet: the host starts anyway and keeps reconnecting in the background; sends and result reads fail until it is reachable")]
    public static partial void RedisNotReachableYet(ILogger logger, string endpoints);

    [LoggerMessage(10, LogLevel.Information, "Redis at {Endpoints} reachable after {ElapsedSeconds} s")]
    public static partial void RedisReachable(ILogger logger, string endpoints, string elapsedSeconds);
}
