using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace TypedTasks.LoadTest;

/// <summary>One workload's figures in the comparison's JSON line schema (benchmarks/compare/README.md); null where a
/// field does not apply.</summary>
internal sealed record ResultLine(string Workload, int N, string Config)
{
    public double? TasksPerSecond { get; init; }

    public double? P50Ms { get; init; }

    public double? P99Ms { get; init; }

    public double? MaxMs { get; init; }

    public double? RssMb { get; init; }

    public double? ColdStartMs { get; init; }

    public string ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("system", "typedtasks");
            json.WriteString("workload", Workload);
            json.WriteNumber("n", N);
            WriteNullable(json, "tasks_per_s", TasksPerSecond);
            WriteNullable(json, "p50_ms", P50Ms);
            WriteNullable(json, "p99_ms", P99Ms);
            WriteNullable(json, "max_ms", MaxMs);
            WriteNullable(json, "rss_mb", RssMb);
            WriteNullable(json, "cold_start_ms", ColdStartMs);
            json.WriteString("config", Config);
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteNullable(Utf8JsonWriter json, string name, double? value)
    {
        if (value is { } number)
        {
            json.WriteNumber(name, number);
        }
        else
        {
            json.WriteNull(name);
        }
    }
}
