using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace HangfireCompare;

/// <summary>The benchmarked job: does nothing, except record pickup latency when the worker measures it.</summary>
public static class NoOpTask
{
    private static readonly ConcurrentQueue<double> LatenciesMs = new();

    /// <summary>Set by the worker process in latency mode before the server starts.</summary>
    internal static bool MeasureLatency { get; set; }

    internal static ConcurrentQueue<double> Latencies => LatenciesMs;

    /// <summary>The job body. In latency mode the payload starts with the producer's timestamp and a '|'.</summary>
    public static void Run(int i, string payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        if (!MeasureLatency || i < 0)
        {
            return;
        }

        long startedAt = Stopwatch.GetTimestamp();
        long stampedAt = long.Parse(payload.AsSpan(0, payload.IndexOf('|', StringComparison.Ordinal)), CultureInfo.InvariantCulture);
        LatenciesMs.Enqueue(Stopwatch.GetElapsedTime(stampedAt, startedAt).TotalMilliseconds);
    }

    /// <summary>A payload as long as <paramref name="padding"/> that begins with the current timestamp.</summary>
    internal static string StampedPayload(string padding)
    {
        string stamp = Stopwatch.GetTimestamp().ToString(CultureInfo.InvariantCulture) + "|";
        return stamp.Length >= padding.Length ? stamp : string.Concat(stamp, padding.AsSpan(stamp.Length));
    }
}
