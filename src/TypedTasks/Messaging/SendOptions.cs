using System;
using System.Collections.Generic;

namespace TypedTasks;

/// <summary>Per-send overrides passed to a generated <c>SendAsync</c> or message builder.</summary>
public sealed class SendOptions
{
    /// <summary>Run no earlier than this long after sending.</summary>
    public TimeSpan? Delay { get; init; }

    /// <summary>Run no earlier than this moment. Ignored when <see cref="Delay"/> is set.</summary>
    public DateTimeOffset? NotBefore { get; init; }

    /// <summary>Send to this queue instead of the actor's.</summary>
    public string? Queue { get; init; }

    /// <summary>
    /// Use this id instead of a generated one (for example to correlate with an external record). A second send with
    /// the same id to the same queue is a duplicate: nothing is stored and the returned handle says so
    /// (<see cref="TaskHandle.IsDuplicate"/>). The broker remembers the id until <see cref="TaskMessage.DuplicateWindow"/>
    /// after the task is due.
    /// </summary>
    public string? TaskId { get; init; }

    /// <summary>Extra headers carried with the message.</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    /// <summary>
    /// Record this task's status as it goes (queued or scheduled, running, retrying, finished), so that
    /// <see cref="TaskHandle.GetStatusAsync"/> can tell them apart. <see langword="null"/> = the actor's
    /// <see cref="ActorAttribute.TrackStatus"/> (or the client's <see cref="TaskClient.TrackStatus"/>). Costs a few
    /// Redis writes per task; untracked tasks only report finished states from their stored outcome.
    /// </summary>
    public bool? TrackStatus { get; init; }

    /// <summary>
    /// Makes the send unique by this key (1–128 characters of <c>[A-Za-z0-9_.:-]</c>): while a task of the same queue
    /// holds the key, another send with it stores nothing and returns the holder's handle with
    /// <see cref="TaskHandle.IsDuplicate"/> set. The check and the enqueue are one atomic step. How long the key is
    /// held: <see cref="UniqueFor"/>.
    /// </summary>
    public string? UniqueKey { get; init; }

    /// <summary>
    /// Makes the send unique by actor and arguments (a hash of the encoded argument bytes), as
    /// <see cref="UniqueKey"/> does by an explicit key; <see cref="UniqueKey"/> wins when both are set.
    /// </summary>
    public bool UniqueByArguments { get; init; }

    /// <summary>
    /// How long a unique send holds its key. <see langword="null"/> (the default): until the task's outcome is final
    /// (it succeeded, was dead-lettered or cancelled), and at most <see cref="TaskMessage.DuplicateWindow"/> after it is
    /// due, so that a release lost to a crash cannot lock the key for ever. A value: exactly this long from the send,
    /// whether the task finished or not (a rate window).
    /// </summary>
    public TimeSpan? UniqueFor { get; init; }
}
