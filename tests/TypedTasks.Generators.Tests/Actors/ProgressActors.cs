using System.Threading;
using System.Threading.Tasks;

namespace TypedTasks.Generators.Tests.Actors;

/// <summary>Actors that track their status and report progress.</summary>
public static class ProgressActors
{
    /// <summary>Imports rows, reporting each step.</summary>
    /// <param name="rows">How many rows.</param>
    /// <param name="progress">Filled by the worker; not an argument.</param>
    /// <param name="cancellationToken">Filled by the worker; not an argument.</param>
    [Actor(TrackStatus = true)]
    public static async Task<int> Import(int rows, TaskProgress progress, CancellationToken cancellationToken)
    {
        for (var i = 1; i <= rows; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await progress.ReportAsync(100.0 * i / rows, $"row {i}");
        }

        return rows;
    }

    /// <summary>Tracked, no progress.</summary>
    [Actor(TrackStatus = true, StoreResults = true)]
    public static void Touch(string name)
    {
    }
}
