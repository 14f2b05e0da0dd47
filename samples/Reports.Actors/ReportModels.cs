using System;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Reports.Actors;

/// <summary>What a client asks for in <c>POST /reports</c>.</summary>
public sealed record ReportRequest(int CustomerId, DateOnly From, DateOnly To);

/// <summary>The generated report: the actor's typed result.</summary>
public sealed record Report(int CustomerId, DateOnly From, DateOnly To, int Orders, decimal Revenue, DateTimeOffset GeneratedAt);

/// <summary>JSON metadata for the sample's own types (System.Text.Json source generation, no reflection).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ReportRequest))]
[JsonSerializable(typeof(Report))]
public sealed partial class ReportsJsonContext : JsonSerializerContext
{
}
