using System;
using System.Collections.Generic;
using System.Threading.Tasks;

namespace TypedTasks.Redis.Tests.EndToEnd;

/// <summary>Real <see cref="TaskWorker"/>s running the generated <c>Tasks.Registry</c> on one broker, each recording
/// its attempts in a shared <see cref="AttemptLog"/>. Disposing stops them gracefully.</summary>
public sealed class EngineWorkers : IAsyncDisposable
{
    private readonly List<TaskWorker> _workers = [];

    private readonly string _name;

    private EngineWorkers(AttemptLog log, string name)
    {
        Log = log;
        _name = name;
    }

    public AttemptLog Log { get; }

    public TaskWorker this[int index] => _workers[index];

    public int Count => _workers.Count;

    /// <summary>Test defaults: the "e2e" queue, 4 actors at once, short backoffs (unknown actors too), a 5 s shutdown
    /// grace period.</summary>
    public static WorkerOptions Options(AttemptLog log, string name) => new()
    {
        Queues = ["e2e"],
        Concurrency = 4,
        ShutdownTimeout = TimeSpan.FromSeconds(5),
        DefaultMinBackoff = TimeSpan.FromMilliseconds(200),
        DefaultMaxBackoff = TimeSpan.FromSeconds(1),
        UnknownActorMinBackoff = TimeSpan.FromMilliseconds(100),
        UnknownActorMaxBackoff = TimeSpan.FromMilliseconds(500),
        ConsumerName = name + "-" + Guid.NewGuid().ToString("N")[..6],
        Middleware = { log.For(name) },
    };

    public static async Task<EngineWorkers> StartAsync(ITaskBroker broker, int count, Action<WorkerOptions>? configure = null, AttemptLog? log = null, string name = "w")
    {
        var workers = new EngineWorkers(log ?? new AttemptLog(), name);
        for (var i = 0; i < count; i++)
        {
            await workers.AddAsync(broker, configure);
        }

        return workers;
    }

    public async Task<TaskWorker> AddAsync(ITaskBroker broker, Action<WorkerOptions>? configure = null)
    {
        var options = Options(Log, _name + _workers.Count);
        configure?.Invoke(options);
        var worker = new TaskWorker(broker, Tasks.Registry, options);
        _workers.Add(worker);
        await worker.StartAsync();
        return worker;
    }

    public async ValueTask DisposeAsync()
    {
        var stops = new List<Task>();
        foreach (var worker in _workers)
        {
            stops.Add(worker.StopAsync());
        }

        await Task.WhenAll(stops);
    }
}
