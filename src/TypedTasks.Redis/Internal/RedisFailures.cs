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
        InvalidOperationException when IsBrokenPipe(exception) => true,
        RedisConnectionException or RedisTimeoutException => true,
        RedisServerException server => server.Message.StartsWith("LOADING", StringComparison.Ordinal)
            || server.Message.StartsWith("TRYAGAIN", StringComparison.Ordinal)
            || server.Message.StartsWith("CLUSTERDOWN", StringComparison.Ordinal)
            || server.Message.StartsWith("MASTERDOWN", StringComparison.Ordinal)
            || server.Message.StartsWith("READONLY", StringComparison.Ordinal),
        _ => false,
    };

    /// <summary>
    /// StackExchange.Redis can fail a command it was writing while its connection broke with the pipe's own
    /// InvalidOperationException ("Writing is not allowed after writer was completed"): the command never reached
    /// Redis, exactly as with a connection error. Recognised by where it was thrown, not by its (localised) message.
    /// </summary>
    public static bool IsBrokenPipe(Exception exception) =>
        exception is InvalidOperationException && exception.StackTrace is { } trace
        && trace.Contains("System.IO.Pipelines", StringComparison.Ordinal);

    /// <summary>The group (or the whole stream) vanished: Redis restarted without persistence, or someone deleted it.</summary>
    public static bool IsMissingGroup(Exception exception)
        => exception is RedisServerException server && server.Message.StartsWith("NOGROUP", StringComparison.Ordinal);

    public static bool IsExistingGroup(Exception exception)
        => exception is RedisServerException server && server.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal);

    /// <summary>
    /// What a public API throws for a command StackExchange.Redis abandoned with a cancellation nobody asked for (or
    /// failed on a broken pipe, <see cref="IsBrokenPipe"/>): a connection error, which callers already handle, instead
    /// of an exception that reads like their own mistake.
    /// </summary>
    public static RedisConnectionException Abandoned(Exception exception) => new(
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
        catch (Exception ex) when (ex is OperationCanceledException || IsBrokenPipe(ex))
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
        catch (Exception ex) when (ex is OperationCanceledException || IsBrokenPipe(ex))
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
