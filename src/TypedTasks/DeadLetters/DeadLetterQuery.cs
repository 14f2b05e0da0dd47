namespace TypedTasks;

/// <summary>One page of a dead-letter listing (<see cref="IDeadLetterStore.ListPageAsync(string, DeadLetterQuery, System.Threading.CancellationToken)"/>).</summary>
public sealed record DeadLetterQuery
{
    /// <summary>Continue after this dead-letter id (the previous page's <see cref="DeadLetterPage.Next"/>);
    /// <see langword="null"/> starts at the oldest.</summary>
    public string? After { get; init; }

    /// <summary>At most this many dead letters (default 100).</summary>
    public int Count { get; init; } = 100;

    /// <summary>Only dead letters this filter matches; <see langword="null"/>: all.</summary>
    public DeadLetterFilter? Filter { get; init; }
}
