using System;
using System.Collections.Generic;

namespace TypedTasks;

/// <summary>
/// The envelope of one task: what a producer sends and a broker stores. Its wire form is specified in
/// <c>docs/protocol.md</c> so that producers in other languages can enqueue.
/// </summary>
/// <remarks>
/// Record equality compares <see cref="Arguments"/> by reference; compare <c>Arguments.Span.SequenceEqual(...)</c>
/// when the bytes matter.
/// </remarks>
public sealed record TaskMessage
{
    /// <summary>The queue used when an actor names none.</summary>
    public const string DefaultQueue = "default";

    /// <summary>Unique, time-sortable id (see <see cref="TaskId"/>). Retries keep the id.</summary>
    public required string Id { get; init; }

    /// <summary>The actor's wire name.</summary>
    public required string Actor { get; init; }

    /// <summary>The queue the message travels on.</summary>
    public required string Queue { get; init; }

    /// <summary>The arguments: a UTF-8 JSON object keyed by parameter name.</summary>
    public required ReadOnlyMemory<byte> Arguments { get; init; }

    /// <summary>1 for the first attempt, incremented by each retry.</summary>
    public int Attempt { get; init; } = 1;

    /// <summary>When the message was first enqueued (kept across retries; the age limit counts from here). The client
    /// stamps it when it sends a <see cref="TaskRequest"/>; a broker refuses a message without it.</summary>
    public DateTimeOffset EnqueuedAt { get; init; }

    /// <summary>When the message becomes runnable; <see langword="null"/> = now.</summary>
    public DateTimeOffset? DueAt { get; init; }

    /// <summary>String headers: trace context (<c>traceparent</c>, <c>tracestate</c>) and custom values.</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    /// <summary>
    /// How long after a task is due a broker remembers a sender-chosen id (<see cref="ExplicitId"/>), and the longest a
    /// unique key held until the outcome (<see cref="UniqueFor"/> <see langword="null"/>) stays held when its release
    /// is lost (a worker crashed between settling the task and releasing the key): one day.
    /// </summary>
    public static readonly TimeSpan DuplicateWindow = TimeSpan.FromDays(1);

    /// <summary>
    /// The sender chose <see cref="Id"/> (<see cref="SendOptions.TaskId"/>): the broker records it atomically with the
    /// enqueue and refuses a second message with the same id on the same queue as a duplicate, until
    /// <see cref="DuplicateWindow"/> after the task is due. Read when sending only; not part of the wire form.
    /// </summary>
    public bool ExplicitId { get; init; }

    /// <summary>
    /// The key that makes this task unique within its queue (<see cref="SendOptions.UniqueKey"/>): a send whose key is
    /// held by another task is a duplicate and stores nothing. On the wire (field <c>uq</c>) only while
    /// <see cref="UniqueFor"/> is <see langword="null"/>, so that the worker that settles the task for good releases it.
    /// </summary>
    public string? UniqueKey { get; init; }

    /// <summary>How long <see cref="UniqueKey"/> is held from the send; <see langword="null"/> = until the task's
    /// outcome is final, at most <see cref="DuplicateWindow"/> after it is due. Read when sending only.</summary>
    public TimeSpan? UniqueFor { get; init; }

    /// <summary>Whether the worker that settles this task for good releases its unique key.</summary>
    public bool ReleasesUniqueKey => UniqueKey is not null && UniqueFor is null;

    /// <summary>How long the broker keeps the guards of this message (id record, unique key), counted from
    /// <paramref name="now"/>: <see cref="DuplicateWindow"/> after it is due, or <see cref="UniqueFor"/>.</summary>
    /// <returns>The id record's and the unique key's time to live.</returns>
    public (TimeSpan IdFor, TimeSpan UniqueKeyFor) GuardLifetimes(DateTimeOffset now)
    {
        var untilDue = DueAt is { } due && due > now ? due - now : TimeSpan.Zero;
        var idFor = untilDue + DuplicateWindow;
        return (idFor, UniqueFor ?? idFor);
    }

    /// <summary>
    /// Throws an <see cref="ArgumentException"/> when the message breaks a rule of the protocol (docs/protocol.md):
    /// id, actor and queue of <see cref="WireNames"/>, no empty arguments, an attempt of 1 or more, an enqueue time
    /// (<see cref="EnqueuedAt"/>, stamped by the client). Brokers call it
    /// before storing a message, so a message a worker would reject is refused where it is sent.
    /// </summary>
    public void Validate()
    {
        WireNames.ThrowIfInvalid(Id, "task id", nameof(Id));
        WireNames.ThrowIfInvalid(Actor, "actor name", nameof(Actor));
        WireNames.ThrowIfInvalid(Queue, "queue name", nameof(Queue));
        if (Arguments.IsEmpty)
        {
            throw new ArgumentException($"Task {Id} has no arguments; an actor without parameters takes the empty object {{}}.", nameof(Arguments));
        }

        if (EnqueuedAt == default)
        {
            throw new ArgumentException($"Task {Id} has no enqueue time: send it through a TaskClient (which stamps it) or set EnqueuedAt.", nameof(EnqueuedAt));
        }

        if (Attempt < 1)
        {
            throw new ArgumentException($"Task {Id} has attempt {Attempt}; attempts count from 1.", nameof(Attempt));
        }

        if (UniqueKey is not null)
        {
            WireNames.ThrowIfInvalid(UniqueKey, "unique key", nameof(UniqueKey));
        }

        if (UniqueFor is { } uniqueFor && uniqueFor <= TimeSpan.Zero)
        {
            throw new ArgumentException($"Task {Id} has UniqueFor {uniqueFor}; a unique window must be positive.", nameof(UniqueFor));
        }
    }
}
