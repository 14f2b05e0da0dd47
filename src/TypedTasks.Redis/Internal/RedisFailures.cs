using System;
using StackExchange.Redis;

namespace TypedTasks.Redis.Internal;

/// <summary>Tells passing trouble (reconnect, restart, failover) from real errors.</summary>
internal static class RedisFailures
{
    public static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(50);
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(2);

    public static bool IsTransient(Exception exception) => exception switch
    {
        RedisConnectionException or RedisTimeoutException => true,
        RedisServerException server => server.Message.StartsWith("LOADING", StringComparison.Ordinal)
            || server.Message.StartsWith("TRYAGAIN", StringComparison.Ordinal)
            || server.Message.StartsWith("CLUSTERDOWN", StringComparison.Ordinal)
            || server.Message.StartsWith("MASTERDOWN", StringComparison.Ordinal)
            || server.Message.StartsWith("READONLY", StringComparison.Ordinal),
        _ => false,
    };

    /// <summary>The group (or the whole stream) vanished: Redis restarted without persistence, or someone deleted it.</summary>
    public static bool IsMissingGroup(Exception exception)
        => exception is RedisServerException server && server.Message.StartsWith("NOGROUP", StringComparison.Ordinal);

    public static bool IsExistingGroup(Exception exception)
        => exception is RedisServerException server && server.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal);

    public static TimeSpan NextBackoff(TimeSpan current)
    {
        var next = current * 2;
        return next > MaxBackoff ? MaxBackoff : next;
    }
}
