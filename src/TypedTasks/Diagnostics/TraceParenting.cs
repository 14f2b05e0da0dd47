namespace TypedTasks;

/// <summary>How an actor's <c>process</c> span relates to the <c>send</c> span of the message it runs.</summary>
public enum TraceParenting
{
    /// <summary>The worker's default (<see cref="WorkerOptions.DefaultTraceParenting"/>); when that is also
    /// <see cref="Auto"/>: <see cref="Child"/> for a task sent to run at once, <see cref="Link"/> for a task sent with a
    /// delay or a due time, whose run may be hours away from the request that scheduled it.</summary>
    Auto = 0,

    /// <summary>Every attempt is a child of the send span: one trace from the request to the last retry.</summary>
    Child = 1,

    /// <summary>Every attempt starts a new trace that links to the send span.</summary>
    Link = 2,
}
