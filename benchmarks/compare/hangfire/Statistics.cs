using System;
using System.Collections.Generic;

namespace HangfireCompare;

internal static class Statistics
{
    /// <summary>Nearest rank: the smallest sample with at least <paramref name="fraction"/> of all samples at or below it.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double fraction)
    {
        int rank = Math.Max(1, (int)Math.Ceiling(fraction * sorted.Count));
        return sorted[rank - 1];
    }

    public static double Median(IReadOnlyList<double> sorted)
    {
        int middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    public static double PerSecond(int count, TimeSpan elapsed) => Math.Round(count / elapsed.TotalSeconds);
}
