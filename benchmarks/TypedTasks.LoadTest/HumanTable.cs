using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace TypedTasks.LoadTest;

/// <summary>The results as a Markdown table, one row per result.</summary>
internal static class HumanTable
{
    public static string Render(IReadOnlyList<ResultLine> results)
    {
        var table = new StringBuilder();
        table.AppendLine("| workload | worker | n | tasks/s | p50 ms | p99 ms | max ms | RSS MiB | cold start ms |");
        table.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            var flavour = r.Config[..r.Config.IndexOf(';', System.StringComparison.Ordinal)];
            table.AppendLine(CultureInfo.InvariantCulture, $"| {r.Workload} | {flavour} | {r.N:N0} | {Format(r.TasksPerSecond, 0)} | {Format(r.P50Ms, 2)} | {Format(r.P99Ms, 2)} | {Format(r.MaxMs, 2)} | {Format(r.RssMb, 1)} | {Format(r.ColdStartMs, 0)} |");
        }

        return table.ToString();
    }

    private static string Format(double? value, int digits) =>
        value is { } number ? number.ToString("N" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture) : string.Empty;
}
