using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;

namespace TypedTasks.Generators.Tests.Actors;

/// <summary>Where reports are kept.</summary>
public interface IReportStore
{
    void Save(string id, string content);

    string? Find(string id);
}

/// <summary>An in-memory <see cref="IReportStore"/>.</summary>
public sealed class MemoryReportStore : IReportStore
{
    private readonly ConcurrentDictionary<string, string> _reports = new(StringComparer.Ordinal);

    public void Save(string id, string content) => _reports[id] = content;

    public string? Find(string id) => _reports.TryGetValue(id, out var content) ? content : null;
}

/// <summary>The current time.</summary>
public interface IClock
{
    DateTimeOffset Now { get; }
}

/// <summary>An instance actor: its dependencies come from the service provider.</summary>
public sealed class ReportActors(IReportStore store, IClock? clock = null)
{
    /// <summary>Builds report <paramref name="id"/> and stores it.</summary>
    /// <param name="id">The report's id.</param>
    /// <param name="lines">How many lines it has.</param>
    /// <param name="cancellationToken">Cancelled by the worker.</param>
    /// <returns>The report's content.</returns>
    [Actor(Name = "reports.build", Queue = "reports", MaxRetries = 3)]
    public async Task<string> BuildReportAsync(string id, int lines, CancellationToken cancellationToken)
    {
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        var content = id + ":" + lines + ":" + (clock is null ? "no-clock" : clock.Now.Year.ToString(System.Globalization.CultureInfo.InvariantCulture));
        store.Save(id, content);
        return content;
    }
}

/// <summary>An instance actor with a parameterless constructor: built per invocation unless registered.</summary>
public sealed class Counter
{
    private int _count;

    [Actor]
    public int Increment(int by) => _count += by;
}
