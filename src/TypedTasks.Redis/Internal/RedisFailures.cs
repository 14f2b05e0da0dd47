using System;
using System.Threading;
using System.Threading.Tasks;
using StackExchange.Redis;

namespace TypedTasks.Redis.Internal;

/// <summary>Tells passing trouble (reconnect, restart, failover) from real errors.</summary>
internal static class RedisFailures
{
    public static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(50);
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Whether <paramref name="exception"/> is passing trouble worth retrying. StackExchange.Redis sometimes fails a
    /// command it abandoned on a broken connection with a <see cref="TaskCanceledException"/>; none of our Redis
    /// calls take a token, so a cancellation counts as transient unless <paramref name="callerToken"/> asked for it.
    /// </summary>
    public static bool IsTransient(Exception exception, CancellationToken callerToken = default) => exception switch
    {
        OperationCanceledException => !callerToken.IsCancellationRequested,
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

    /// <summary>
    /// What a public API throws for a command StackExchange.Redis abandoned with a cancellation nobody asked for:
    /// a connection error, which callers already handle, instead of a cancellation that reads like their own.
    /// </summary>
    public static RedisConnectionException Abandoned(OperationCanceledException exception) => new(
        ConnectionFailureType.SocketFailure,
        "StackExchange.Redis abandoned the command while its connection was failing; it may or may not have run.",
        exception);

    /// <summary><paramref name="command"/>, with an abandoned command's cancellation turned into <see cref="Abandoned"/>.</summary>
    public static Task Surfaced(Task command) => command.IsCompletedSuccessfully ? command : SurfacedAsync(command);

    /// <summary><paramref name="command"/>, with an abandoned command's cancellation turned into <see cref="Abandoned"/>.</summary>
    public static Task<T> Surfaced<T>(Task<T> command) => command.IsCompletedSuccessfully ? command : SurfacedAsync(command);

    private static async Task SurfacedAsync(Task command)
    {
        try
        {
            await command.ConfigureAwait(false);
        }
        catch (OperationCanceledException ex)
        {
            throw Abandoned(ex);
        }
    }

    private static async Task<T> SurfacedAsync<T>(Task<T> command)
    {
        try
        {
            return await command.ConfigureAwait(false);
        }
        catch (OperationCanceledException ex)
        {
            throw Abandoned(ex);
        }
    }

    public static TimeSpan NextBackoff(TimeSpan current)
    {
        var next = current * 2;
        return next > MaxBackoff ? MaxBackoff : next;
    }
}
