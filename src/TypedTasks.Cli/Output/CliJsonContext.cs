using System.Text.Json.Serialization;

namespace TypedTasks.Cli.Output;

/// <summary>Every <c>--json</c> shape, generated at build time (no reflection; the tool stays trim- and AOT-clean).
/// camelCase names, ISO 8601 times, nulls written out so every documented property is always there.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(DeadLetterPageView))]
[JsonSerializable(typeof(DeadLetterDetailView))]
[JsonSerializable(typeof(ChangeView))]
[JsonSerializable(typeof(QueuesView))]
[JsonSerializable(typeof(WorkersView))]
[JsonSerializable(typeof(StatsView))]
[JsonSerializable(typeof(QueuePurgeView))]
[JsonSerializable(typeof(TaskCancelView))]
[JsonSerializable(typeof(TaskStatusView))]
[JsonSerializable(typeof(WorkflowStatusView))]
internal sealed partial class CliJsonContext : JsonSerializerContext
{
}
