using System.Diagnostics;

namespace TypedTasks.LoadTest;

/// <summary>CLOCK_MONOTONIC in nanoseconds: what <see cref="Stopwatch"/> reads on Linux, and what Node's
/// <c>process.hrtime.bigint()</c> reads, so stamps from every process on the machine compare directly.</summary>
public static class Monotonic
{
    /// <summary>The current time in nanoseconds.</summary>
    public static long NowNs() => Stopwatch.Frequency == 1_000_000_000
        ? Stopwatch.GetTimestamp()
        : (long)(Stopwatch.GetTimestamp() * (1e9 / Stopwatch.Frequency));
}
