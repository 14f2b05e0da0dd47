using System;
using System.Text.Json.Serialization;
using Reports.Actors;

namespace WebApi;

/// <summary>The body of <c>POST /reports</c>'s 202 answer.</summary>
public sealed record ReportAccepted(string Id, string Status, string Location);

/// <summary>
/// The body of <c>GET /reports/{id}</c>: <c>scheduled</c>, <c>queued</c>, <c>running</c> (with the attempt),
/// <c>retrying</c> (with the last error), <c>succeeded</c> with the typed result, or <c>failed</c>,
/// <c>dead-lettered</c>, <c>cancelled</c> with the error; and the latest progress the actor reported.
/// </summary>
public sealed record ReportStatus(
    string Id,
    string Status,
    Report? Result = null,
    string? Error = null,
    int? Attempt = null,
    ReportProgress? Progress = null,
    DateTimeOffset? UpdatedAt = null);

/// <summary>How far the report got, as its actor last reported.</summary>
public sealed record ReportProgress(double? Percent, string? Message);

/// <summary>JSON metadata for the API's own response types (no reflection: the sample sets
/// <c>JsonSerializerIsReflectionEnabledByDefault=false</c>). Serializer settings such as the null-ignore condition
/// live in <c>ConfigureHttpJsonOptions</c> in Program.cs: a context plugged in as a resolver does not carry them.</summary>
[JsonSourceGenerationOptions(System.Text.Json.JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(ReportAccepted))]
[JsonSerializable(typeof(ReportStatus))]
public sealed partial class WebApiJsonContext : JsonSerializerContext
{
}
