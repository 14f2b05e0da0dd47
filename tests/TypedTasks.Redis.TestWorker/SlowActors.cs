using System;
using System.Threading;
using System.Threading.Tasks;
using TypedTasks;

namespace TypedTasks.Redis.TestWorker;

/// <summary>The worker process's side of the crash test's actor. The test assembly declares an actor with the same
/// wire name, queue and parameters: two deployments of one actor, as in a rolling upgrade.</summary>
public static class SlowActors
{
    /// <summary>Announces on stdout that it started, then works far longer than the test lets the process live.</summary>
    [Actor(Name = "e2e.slow", Queue = "e2e")]
    public static async Task<string> Slow(string probe, int milliseconds, CancellationToken cancellationToken)
    {
        Console.WriteLine("STARTED " + probe);
        await Task.Delay(milliseconds, cancellationToken);
        return "finished by the worker process";
    }

    /// <summary>Announces that it started, works until its token fires, and announces that it saw the token.</summary>
    [Actor(Name = "e2e.cancellable", Queue = "e2e", MaxRetries = 3, MinBackoffSeconds = 0.2, MaxBackoffSeconds = 0.5)]
    public static async Task<int> Cancellable(string probe, int milliseconds, CancellationToken cancellationToken)
    {
        Console.WriteLine("STARTED " + probe);
        try
        {
            await Task.Delay(milliseconds, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Console.WriteLine("CANCELLED " + probe);
            throw;
        }

        return milliseconds;
    }
}
