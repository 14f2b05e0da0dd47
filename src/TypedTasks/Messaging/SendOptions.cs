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

    /// <summary>Use this id instead of a generated one (for example to correlate with an external record).</summary>
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
}
