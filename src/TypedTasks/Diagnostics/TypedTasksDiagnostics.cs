namespace TypedTasks;

/// <summary>
/// The names under which TypedTasks publishes traces and metrics, for an OpenTelemetry set-up:
/// <c>.WithTracing(t =&gt; t.AddSource(TypedTasksDiagnostics.ActivitySourceName))</c> and
/// <c>.WithMetrics(m =&gt; m.AddMeter(TypedTasksDiagnostics.MeterName))</c>. Spans, attributes and instruments follow
/// the OpenTelemetry messaging semantic conventions; <c>docs/operations.md</c> lists them.
/// </summary>
public static class TypedTasksDiagnostics
{
    /// <summary>The <see cref="System.Diagnostics.ActivitySource"/> name: <c>send {queue}</c> producer spans and
    /// <c>process {queue}</c> consumer spans.</summary>
    public const string ActivitySourceName = "TypedTasks";

    /// <summary>The <see cref="System.Diagnostics.Metrics.Meter"/> name.</summary>
    public const string MeterName = "TypedTasks";
}
