using System;
using System.Collections.Generic;

namespace TypedTasks.LoadTest;

/// <summary>The same definitions as the peers' tools.</summary>
internal static class Statistics
{
    /// <summary>Nearest rank: the smallest sample with at least <paramref name="fraction"/> of all samples at or below it.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double fraction)
    {
        var rank = Math.Max(1, (int)Math.Ceiling(fraction * sorted.Count));
        return sorted[rank - 1];
    }

    public static double Median(IReadOnlyList<double> sorted)
    {
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    public static double PerSecond(long count, long elapsedNs) => Math.Round(count / (elapsedNs / 1e9));
}
