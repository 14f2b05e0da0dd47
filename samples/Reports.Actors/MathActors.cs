using System;
using System.Threading;
using System.Threading.Tasks;
using TypedTasks;

namespace Reports.Actors;

/// <summary>A small actor with a typed result; the NativeAOT end-to-end check sends a thousand and sums them.</summary>
public static class MathActors
{
    /// <summary>Adds two numbers on a worker.</summary>
    [Actor(Name = "math.add", Queue = "math")]
    public static long Add(long a, long b) => a + b;

    /// <summary>Waits <paramref name="seconds"/> unless cancelled first: the NativeAOT check sends it unique by arguments
    /// twice and cancels it while it runs.</summary>
    [Actor(Name = "math.wait", Queue = "math")]
    public static async Task<long> Wait(long seconds, CancellationToken cancellationToken)
    {
        await Task.Delay(TimeSpan.FromSeconds(seconds), cancellationToken).ConfigureAwait(false);
        return seconds;
    }

    /// <summary>Sums numbers: the NativeAOT check's workflow ends with a step that receives a group's results.</summary>
    [Actor(Name = "math.sum", Queue = "math")]
    public static long Sum(long[] values)
    {
        long sum = 0;
        foreach (var value in values)
        {
            sum += value;
        }

        return sum;
    }
}
