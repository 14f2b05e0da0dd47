using System;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using TypedTasks;

namespace AotWorker;

/// <summary>
/// Exports TypedTasks' traces and metrics with OpenTelemetry, only when asked: <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>
/// (the standard variable, e.g. <c>http://localhost:4317</c>) sends both to an OTLP collector; <c>Telemetry:Console=true</c>
/// (<c>Telemetry__Console=true</c>) prints the spans on standard output. Without either, nothing is wired and the
/// instrumentation costs nothing (no listener).
/// </summary>
internal static class Telemetry
{
    public static void AddIfConfigured(HostApplicationBuilder builder, string serviceName)
    {
        var otlp = !string.IsNullOrEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        var console = bool.TryParse(builder.Configuration["Telemetry:Console"], out var on) && on;
        if (!otlp && !console)
        {
            return;
        }

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithTracing(tracing =>
            {
                tracing.AddSource(TypedTasksDiagnostics.ActivitySourceName);
                if (console)
                {
                    tracing.AddConsoleExporter();
                }
            });
        if (otlp)
        {
            // UseOtlpExporter reads the endpoint, protocol and headers from the OTEL_EXPORTER_OTLP_* variables.
            telemetry.WithMetrics(metrics => metrics.AddMeter(TypedTasksDiagnostics.MeterName)).UseOtlpExporter();
        }
    }

    /// <summary>A host that is never started (a short-lived sender) still exports: the provider is built at once and
    /// flushes when the host is disposed.</summary>
    public static void StartWithoutHost(IServiceProvider services) => services.GetService<TracerProvider>();
}
