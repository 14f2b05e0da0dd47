namespace TypedTasks.Benchmarks;

/// <summary>The actors the dispatch benchmarks run: the load test's no-op, and one that returns a value so that
/// result encoding is measured too.</summary>
public static class BenchActors
{
    /// <summary>Does nothing.</summary>
    /// <param name="i">An index.</param>
    /// <param name="payload">Padding.</param>
    [Actor(Name = "NoOp")]
    public static void NoOp(int i, string payload)
    {
    }

    /// <summary>Returns a number, so the dispatcher has a result to encode.</summary>
    /// <param name="i">An index.</param>
    /// <param name="payload">Padding.</param>
    /// <returns><paramref name="i"/> plus the payload's length.</returns>
    [Actor(Name = "Measure")]
    public static int Measure(int i, string payload) => i + payload.Length;
}
