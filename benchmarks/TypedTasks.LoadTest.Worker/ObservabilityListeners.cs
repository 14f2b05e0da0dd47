using System;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading;
using TypedTasks;

namespace TypedTasks.LoadTest;

/// <summary>
/// With <c>TYPEDTASKS_LOADTEST_LISTEN=1</c> in the environment, the worker records every TypedTasks span and
/// measurement (and drops them), as an OpenTelemetry SDK sampling everything would ask for them: the load test then
/// measures what observability costs compared with a run without listeners.
/// </summary>
internal sealed class ObservabilityListeners : IDisposable
{
    private readonly ActivityListener _activities;
    private readonly MeterListener _meters = new();
    private long _spans;
    private long _measurements;

    private ObservabilityListeners()
    {
        _activities = new ActivityListener
        {
            ShouldListenTo = static source => source.Name == TypedTasksDiagnostics.ActivitySourceName,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _ => Interlocked.Increment(ref _spans),
        };
        ActivitySource.AddActivityListener(_activities);
        _meters.InstrumentPublished = static (instrument, listener) =>
        {
            if (instrument.Meter.Name == TypedTasksDiagnostics.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _meters.SetMeasurementEventCallback<long>((_, _, _, _) => Interlocked.Increment(ref _measurements));
        _meters.SetMeasurementEventCallback<double>((_, _, _, _) => Interlocked.Increment(ref _measurements));
        _meters.Start();
    }

    public static ObservabilityListeners? StartIfAsked() =>
        Environment.GetEnvironmentVariable("TYPEDTASKS_LOADTEST_LISTEN") == "1" ? new ObservabilityListeners() : null;

    public void Dispose()
    {
        _activities.Dispose();
        _meters.Dispose();
        Console.Error.WriteLine($"listeners saw {Interlocked.Read(ref _spans)} spans, {Interlocked.Read(ref _measurements)} measurements");
    }
}
