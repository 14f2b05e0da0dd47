using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;
using TypedTasks;

namespace TypedTasks.Hosting.Tests.Actors;

/// <summary>Static actors used by the hosting tests. They return values so their outcomes are stored and awaitable.</summary>
public static class HostingActors
{
    private static int s_running;
    private static int s_maxRunning;

    /// <summary>Every id <see cref="Slow"/> ran for.</summary>
    public static ConcurrentBag<int> SlowRuns { get; } = [];

    /// <summary>Completes once <see cref="Slow"/> has started.</summary>
    public static TaskCompletionSource SlowStarted { get; set; } = NewSignal();

    /// <summary>Holds <see cref="Slow"/> and <see cref="Gated"/> until released.</summary>
    public static TaskCompletionSource Gate { get; set; } = NewSignal();

    public static int Running => Volatile.Read(ref s_running);

    public static int MaxRunning => Volatile.Read(ref s_maxRunning);

    [Actor(Name = "hosting.add")]
    public static int Add(int a, int b) => a + b;

    [Actor(Name = "hosting.beta", Queue = "beta")]
    public static int Beta(int value) => value;

    [Actor(Name = "hosting.slow", Queue = "slow")]
    public static async Task<int> Slow(int id, CancellationToken cancellationToken)
    {
        SlowStarted.TrySetResult();
        await Gate.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        SlowRuns.Add(id);
        return id;
    }

    [Actor(Name = "hosting.gated", Queue = "alpha")]
    public static async Task<int> Gated(int id, CancellationToken cancellationToken)
    {
        var running = Interlocked.Increment(ref s_running);
        int seen;
        while (running > (seen = Volatile.Read(ref s_maxRunning)) && Interlocked.CompareExchange(ref s_maxRunning, running, seen) != seen)
        {
        }

        try
        {
            await Gate.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref s_running);
        }

        return id;
    }

    public static void Reset()
    {
        SlowRuns.Clear();
        SlowStarted = NewSignal();
        Gate = NewSignal();
        Volatile.Write(ref s_running, 0);
        Volatile.Write(ref s_maxRunning, 0);
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
