using System;
using System.Threading;
using System.Threading.Tasks;
using StackExchange.Redis;

namespace TypedTasks.Redis.Internal;

/// <summary>
/// Waits for a value that a script publishes on its key's own channel after writing it (an outcome, a progress
/// report). Subscribes first and reads second, so a value written in between is never missed; re-reads at least every
/// <see cref="RedisBrokerOptions.PollInterval"/>, which covers notifications lost in a reconnect; rides out transient
/// failures within the caller's timeout (the multiplexer restores the subscription, the re-read covers the gap).
/// </summary>
internal static class NotifiedRead
{
    /// <summary>Reads with <paramref name="read"/> until it returns a value or <paramref name="timeout"/> passes
    /// (then <see langword="null"/>).</summary>
    public static async ValueTask<T?> UntilAsync<TState, T>(
        ISubscriber subscriber,
        RedisKey key,
        TState state,
        Func<TState, Task<T?>> read,
        RedisBrokerOptions options,
        TimeSpan timeout,
        CancellationToken cancellationToken)
        where T : class
    {
        var channel = RedisChannel.Literal((string)key!);
        var time = options.TimeProvider;
        var deadline = time.GetUtcNow() + timeout;
        var notified = new WakeSignal();
        Action<RedisChannel, RedisValue> onWritten = (_, _) => notified.Set();
        await RedisFailures.Surfaced(subscriber.SubscribeAsync(channel, onWritten)).ConfigureAwait(false);
        try
        {
            var backoff = RedisFailures.FirstBackoff;
            while (true)
            {
                TimeSpan pause;
                try
                {
                    if (await read(state).ConfigureAwait(false) is { } value)
                    {
                        return value;
                    }

                    pause = options.PollInterval;
                    backoff = RedisFailures.FirstBackoff;
                }
                catch (Exception ex) when (RedisFailures.IsTransient(ex) && time.GetUtcNow() < deadline)
                {
                    pause = backoff;
                    backoff = RedisFailures.NextBackoff(backoff);
                }

                var remaining = deadline - time.GetUtcNow();
                if (remaining <= TimeSpan.Zero)
                {
                    return null;
                }

                await notified.WaitAsync(remaining < pause ? remaining : pause, time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw RedisFailures.Abandoned(ex);
        }
        finally
        {
            try
            {
                await subscriber.UnsubscribeAsync(channel, onWritten).ConfigureAwait(false);
            }
            catch (Exception ex) when (RedisFailures.IsTransient(ex))
            {
                // The connection is gone, and the subscription with it.
            }
        }
    }
}
