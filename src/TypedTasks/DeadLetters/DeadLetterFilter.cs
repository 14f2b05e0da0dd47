using System;

namespace TypedTasks;

/// <summary>Which dead letters a listing, a requeue or a purge applies to; every condition set must hold, and a
/// filter with none set matches all.</summary>
public sealed record DeadLetterFilter
{
    /// <summary>A filter that matches every dead letter.</summary>
    public static DeadLetterFilter All { get; } = new();

    /// <summary>Only dead letters with this reason.</summary>
    public DeadLetterReason? Reason { get; init; }

    /// <summary>Only dead letters of this actor (wire name, ordinal comparison).</summary>
    public string? Actor { get; init; }

    /// <summary>Only dead letters dead-lettered before this time ("older than": now minus an age).</summary>
    public DateTimeOffset? DeadLetteredBefore { get; init; }

    /// <summary>Whether <paramref name="deadLetter"/> meets every condition that is set.</summary>
    public bool Matches(DeadLetter deadLetter)
    {
        ArgumentNullException.ThrowIfNull(deadLetter);
        return (Reason is not { } reason || deadLetter.Error.Reason == reason)
            && (Actor is null || string.Equals(deadLetter.Actor, Actor, StringComparison.Ordinal))
            && (DeadLetteredBefore is not { } before || deadLetter.DeadLetteredAt < before);
    }
}
