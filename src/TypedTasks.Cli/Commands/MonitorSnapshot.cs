using System.Threading;
using System.Threading.Tasks;
using TypedTasks.Cli.Output;

namespace TypedTasks.Cli.Commands;

/// <summary>Queues and workers read together (started at once: the multiplexer pipelines them).</summary>
internal sealed record MonitorSnapshot(StatsView Stats, WorkersView Workers)
{
    public static async Task<MonitorSnapshot> ReadAsync(CommandContext context, CancellationToken cancellationToken)
    {
        var now = System.DateTimeOffset.UtcNow;
        var queuesRead = context.Monitor.GetQueuesAsync(cancellationToken).AsTask();
        var workersRead = context.Monitor.GetWorkersAsync(cancellationToken).AsTask();
        await Task.WhenAll(queuesRead, workersRead).ConfigureAwait(false);
        var queues = await queuesRead.ConfigureAwait(false);
        var workers = await workersRead.ConfigureAwait(false);
        var capturedAt = queues.Count > 0 ? queues[0].CapturedAt : now;
        var workerViews = new WorkerView[workers.Count];
        for (var i = 0; i < workerViews.Length; i++)
        {
            workerViews[i] = WorkerView.From(workers[i]);
        }

        return new MonitorSnapshot(StatsView.From(capturedAt, queues, workers), new WorkersView(capturedAt, workerViews));
    }
}
