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
}
