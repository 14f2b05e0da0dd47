using TypedTasks;

namespace Reports.Actors;

/// <summary>A small actor with a typed result; the NativeAOT end-to-end check sends a thousand and sums them.</summary>
public static class MathActors
{
    /// <summary>Adds two numbers on a worker.</summary>
    [Actor(Name = "math.add", Queue = "math")]
    public static long Add(long a, long b) => a + b;
}
