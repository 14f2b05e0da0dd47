using System;

namespace TypedTasks;

/// <summary>
/// Marks a method as a TypedTasks actor. The TypedTasks source generator emits a typed stub
/// (<c>Tasks.&lt;Method&gt;.SendAsync(...)</c>) and a reflection-free dispatcher for it.
/// </summary>
/// <remarks>
/// Every option is read by the generator at compile time and becomes a constant in generated code; nothing here is
/// read through reflection at run time. An option left unset falls back to the worker's defaults.
/// Durations are in seconds (fractions allowed) because attribute arguments must be compile-time constants.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class ActorAttribute : Attribute
{
    /// <summary>The stable wire name of the actor. Defaults to the method name. Renaming the method keeps working
    /// for messages already queued only if this stays the same.</summary>
    public string? Name { get; set; }

    /// <summary>The queue the actor's messages are sent to. Defaults to <c>default</c>.</summary>
    public string? Queue { get; set; }

    /// <summary>How many times a failed attempt is retried before the message is dead-lettered (worker default: 20).</summary>
    public int MaxRetries { get; set; }

    /// <summary>The first retry's backoff in seconds; each later retry doubles it (worker default: 15).</summary>
    public double MinBackoffSeconds { get; set; }

    /// <summary>The longest backoff between two attempts in seconds (worker default: 7 days).</summary>
    public double MaxBackoffSeconds { get; set; }

    /// <summary>How long one attempt may run, in seconds. The actor's <see cref="System.Threading.CancellationToken"/>
    /// is cancelled when it elapses (worker default: no limit).</summary>
    public double TimeLimitSeconds { get; set; }

    /// <summary>A message older than this many seconds (since it was first enqueued) is dead-lettered instead of run
    /// (worker default: no limit).</summary>
    public double MaxAgeSeconds { get; set; }

    /// <summary>Higher runs first among the messages a worker has already fetched (worker-local ordering, as in
    /// Dramatiq). Default 0.</summary>
    public int Priority { get; set; }

    /// <summary>Store the outcome even when the actor returns no value, so that <see cref="TaskHandle.WaitAsync(TimeSpan, System.Threading.CancellationToken)"/>
    /// can observe completion. Actors that return a value always store their result.</summary>
    public bool StoreResults { get; set; }

    /// <summary>Exception types that fail the message at once, without retries (a per-actor filter; the generator
    /// emits <c>exception is T</c> checks, no reflection). <see cref="NonRetryableException"/> never retries either.</summary>
    public Type[]? DoNotRetryOn { get; set; }

    /// <summary>How each attempt's <c>process</c> span relates to the <c>send</c> span of its message (worker default:
    /// <see cref="TraceParenting.Auto"/>, a child for a task sent to run at once, a linked new trace for a delayed one).</summary>
    public TraceParenting TraceParenting { get; set; }

    /// <summary>Record the status of this actor's tasks as they go (queued or scheduled, running with worker and attempt,
    /// retrying, finished), so that <see cref="TaskHandle.GetStatusAsync"/> can tell them apart. Default
    /// <see langword="false"/>: only finished states, from stored outcomes. <see cref="SendOptions.TrackStatus"/>
    /// overrides it per send. Costs a few store writes per task (docs/status.md).</summary>
    public bool TrackStatus { get; set; }

    /// <summary>Every send is unique by actor and arguments, as with <see cref="SendOptions.UniqueByArguments"/>: a send
    /// while an equal task holds the key stores nothing and returns that task's handle (<see cref="TaskHandle.IsDuplicate"/>).
    /// A send's <see cref="SendOptions.UniqueKey"/> or <see cref="SendOptions.UniqueFor"/> overrides the key or the window.</summary>
    public bool Unique { get; set; }

    /// <summary>With <see cref="Unique"/> (setting this implies it): how long, in seconds, the key is held from the send,
    /// whether the task finished or not. Unset: until the task's outcome is final.</summary>
    public double UniqueForSeconds { get; set; }
}
