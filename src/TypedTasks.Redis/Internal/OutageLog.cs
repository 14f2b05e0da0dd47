using System;
using System.Threading;
using Microsoft.Extensions.Logging;

namespace TypedTasks.Redis.Internal;

/// <summary>
/// Logs a Redis outage as one line per change of state ("lost Redis", "reached Redis again after 4.2 s") instead of
/// one long exception per retry; every failure's full exception still goes to Debug. Shared by one consumer's read
/// loop, outcome scripts and heartbeats, which all see the same outage. <c>source</c> names who speaks
/// ("Consumer host-123-…", "Result store").
/// </summary>
internal sealed class OutageLog(ILogger logger, string source, TimeProvider time)
{
    // 0 while Redis answers; otherwise the UTC ticks of the first failure.
    private long _downSinceTicks;

    /// <summary>Records a failed call; the first one after a success logs a warning.</summary>
    public void Failed(Exception exception, string operation, TimeSpan retryIn)
    {
        var now = time.GetUtcNow().UtcTicks;
        if (Interlocked.CompareExchange(ref _downSinceTicks, now, 0) == 0)
        {
            logger.LogWarning(
                "{Source} lost Redis ({Operation}: {Error}); retrying until it answers again.",
                source, operation, OneLine(exception));
        }

        logger.LogDebug(exception, "{Source}: {Operation} failed; retrying in {Backoff}.", source, operation, retryIn);
    }

    /// <summary>Records a successful call; the first one after a failure logs how long Redis was away.</summary>
    public void Succeeded()
    {
        // One volatile read on the hot path; the exchange only runs after an outage.
        if (Volatile.Read(ref _downSinceTicks) == 0)
        {
            return;
        }

        var since = Interlocked.Exchange(ref _downSinceTicks, 0);
        if (since != 0)
        {
            var seconds = TimeSpan.FromTicks(time.GetUtcNow().UtcTicks - since).TotalSeconds;
            logger.LogInformation("{Source} reached Redis again after {Seconds:0.0} s.", source, seconds);
        }
    }

    private static string OneLine(Exception exception)
    {
        var text = exception.Message;
        var newline = text.IndexOfAny(['\r', '\n']);
        if (newline >= 0)
        {
            text = text[..newline];
        }

        return text.Length > 160 ? string.Concat(text.AsSpan(0, 160), "…") : text;
    }
}
