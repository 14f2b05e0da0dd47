using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;

namespace TypedTasks.Testing.Diagnostics;

/// <summary>
/// Records the TypedTasks spans of one queue. Tests run in parallel in one process and an <see cref="ActivityListener"/>
/// is global, so the recorder samples only spans named for its own queue (<c>send q</c>, <c>process q</c>): other tests'
/// sends get no span and keep their headers as they were.
/// </summary>
public sealed class SpanRecorder : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ConcurrentQueue<Activity> _started = new();

    public SpanRecorder(string queue)
    {
        var suffix = " " + queue;
        _listener = new ActivityListener
        {
            ShouldListenTo = static source => source.Name == TypedTasksDiagnostics.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> options) =>
                options.Name.EndsWith(suffix, StringComparison.Ordinal) ? ActivitySamplingResult.AllDataAndRecorded : ActivitySamplingResult.None,
            ActivityStarted = _started.Enqueue,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>Every span started so far (running or not), in start order.</summary>
    public IReadOnlyList<Activity> Started => [.. _started];

    /// <summary>Every span stopped so far, in stop order.</summary>
    public IReadOnlyList<Activity> Stopped => [.. _stopped];

    /// <summary>The spans of one kind, ordered by their <c>typedtasks.attempt</c> (producer spans keep stop order).</summary>
    public IReadOnlyList<Activity> OfKind(ActivityKind kind) =>
        [.. _stopped.Where(a => a.Kind == kind).OrderBy(a => a.GetTagItem("typedtasks.attempt") as int? ?? 0)];

    public void Dispose() => _listener.Dispose();
}
