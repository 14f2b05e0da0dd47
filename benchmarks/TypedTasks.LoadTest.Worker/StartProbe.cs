using System;
using System.Diagnostics;
using System.Globalization;
using System.Threading;

namespace TypedTasks.LoadTest;

/// <summary>
/// Records enqueue-to-start latency at the first line of the actor, the point where user code would begin to run.
/// The producer puts its <see cref="Stopwatch.GetTimestamp"/> (CLOCK_MONOTONIC on Linux, one clock for every
/// process on the machine) in front of the payload.
/// </summary>
public static class StartProbe
{
    private static double[]? s_latenciesMs;
    private static int s_claimed;
    private static int s_recorded;
    private static Action? s_onAllRecorded;

    /// <summary>How many latencies have been recorded.</summary>
    public static int Recorded => Volatile.Read(ref s_recorded);

    /// <summary>Starts recording up to <paramref name="expected"/> latencies; <paramref name="onAllRecorded"/> runs once when the last one is in.</summary>
    public static void Enable(int expected, Action onAllRecorded)
    {
        s_onAllRecorded = onAllRecorded;
        Volatile.Write(ref s_latenciesMs, new double[expected]);
    }

    /// <summary>The latencies recorded so far, in order of recording.</summary>
    public static double[] Snapshot() => Volatile.Read(ref s_latenciesMs).AsSpan(0, Recorded).ToArray();

    internal static void OnTaskStarted(int i, string payload)
    {
        var latencies = Volatile.Read(ref s_latenciesMs);
        if (latencies is null || i < 0)
        {
            return;
        }

        var startedAt = Stopwatch.GetTimestamp();
        var separator = payload.IndexOf('|', StringComparison.Ordinal);
        if (separator <= 0 || !long.TryParse(payload.AsSpan(0, separator), NumberStyles.None, CultureInfo.InvariantCulture, out var stamp))
        {
            return;
        }

        var slot = Interlocked.Increment(ref s_claimed) - 1;
        if (slot >= latencies.Length)
        {
            return;
        }

        latencies[slot] = Stopwatch.GetElapsedTime(stamp, startedAt).TotalMilliseconds;
        // Counted after the write, so whoever sees the last count also sees every slot filled.
        if (Interlocked.Increment(ref s_recorded) == latencies.Length)
        {
            s_onAllRecorded?.Invoke();
        }
    }
}
