using System.IO;
using System.Text;
using System.Text.Json;

namespace HangfireCompare;

/// <summary>One workload's figures in the comparison's shared JSON line schema (null where a field does not apply).</summary>
internal sealed record ResultLine(string Workload, int N, string Config)
{
    public double? TasksPerSecond { get; init; }

    public double? P50Ms { get; init; }

    public double? P99Ms { get; init; }

    public double? MaxMs { get; init; }

    public double? RssMb { get; init; }

    public double? ColdStartMs { get; init; }

    public string ToJson(string systemConfig)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("system", "hangfire");
            json.WriteString("workload", this.Workload);
            json.WriteNumber("n", this.N);
            WriteNullable(json, "tasks_per_s", this.TasksPerSecond);
            WriteNullable(json, "p50_ms", this.P50Ms);
            WriteNullable(json, "p99_ms", this.P99Ms);
            WriteNullable(json, "max_ms", this.MaxMs);
            WriteNullable(json, "rss_mb", this.RssMb);
            WriteNullable(json, "cold_start_ms", this.ColdStartMs);
            json.WriteString("config", systemConfig + "; " + this.Config);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, double? value)
    {
        if (value is double number)
        {
            json.WriteNumber(name, number);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
