using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics.Metrics;
using System.Linq;

namespace TypedTasks.Testing.Diagnostics;

/// <summary>Records every TypedTasks measurement tagged with one queue (<c>messaging.destination.name</c>), so tests
/// running in parallel in one process do not see each other's.</summary>
public sealed class MeasurementRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly string _queue;
    private readonly ConcurrentQueue<Measurement> _measurements = new();

    public MeasurementRecorder(string queue)
    {
        _queue = queue;
        _listener.InstrumentPublished = static (instrument, listener) =>
        {
            if (instrument.Meter.Name == TypedTasksDiagnostics.MeterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    public IReadOnlyList<Measurement> All => [.. _measurements];

    /// <summary>The measurements of one instrument.</summary>
    public IReadOnlyList<Measurement> Of(string instrument) => [.. _measurements.Where(m => m.Instrument.Name == instrument)];

    /// <summary>The sum of one instrument's measurements whose tag <paramref name="tag"/> equals <paramref name="value"/>
    /// (every measurement when no tag is given).</summary>
    public double Sum(string instrument, string? tag = null, object? value = null) =>
        Of(instrument).Where(m => tag is null || Equals(m.Tag(tag), value)).Sum(m => m.Value);

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = tags.ToArray();
        foreach (var tag in copy)
        {
            if (tag.Key == "messaging.destination.name" && Equals(tag.Value, _queue))
            {
                _measurements.Enqueue(new Measurement(instrument, value, copy));
                return;
            }
        }
    }

    /// <summary>One recorded measurement.</summary>
    public sealed record Measurement(Instrument Instrument, double Value, KeyValuePair<string, object?>[] Tags)
    {
        public object? Tag(string key) => Tags.FirstOrDefault(t => t.Key == key).Value;
    }
}
