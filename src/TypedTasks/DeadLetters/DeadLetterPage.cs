using System.Collections.Generic;

namespace TypedTasks;

/// <summary>One page of dead letters, oldest first.</summary>
public sealed record DeadLetterPage
{
    /// <summary>The dead letters of this page.</summary>
    public required IReadOnlyList<DeadLetter> Items { get; init; }

    /// <summary>The cursor for the next page (<see cref="DeadLetterQuery.After"/>), or <see langword="null"/> when the
    /// listing reached the end.</summary>
    public string? Next { get; init; }
}
