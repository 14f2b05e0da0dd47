using System;

namespace TypedTasks;

/// <summary>Exponential backoff with equal jitter (see <see cref="WorkerOptions"/> remarks for the formula).</summary>
internal static class RetryBackoff
{
    /// <summary>The delay before retrying after <paramref name="failedAttempt"/> (1-based) failed.</summary>
    public static TimeSpan Compute(int failedAttempt, TimeSpan minBackoff, TimeSpan maxBackoff, double jitter)
    {
        // Doubles cannot overflow here (2^1000 is finite; beyond that Math.Pow returns +inf and Min picks the cap).
        var exponent = Math.Max(0, failedAttempt - 1);
        var uncapped = minBackoff.Ticks * Math.Pow(2, exponent);
        var ceiling = Math.Min((double)maxBackoff.Ticks, uncapped);
        var clampedJitter = double.IsNaN(jitter) ? 0 : Math.Clamp(jitter, 0, 1);
        var ticks = (ceiling / 2) + (clampedJitter * ceiling / 2);
        return TimeSpan.FromTicks((long)Math.Min(ticks, maxBackoff.Ticks));
    }
}
