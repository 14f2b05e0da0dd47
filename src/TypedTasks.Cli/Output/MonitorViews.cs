using System;
using System.Collections.Generic;
using TypedTasks.Monitoring;

namespace TypedTasks.Cli.Output;

// The --json shapes of queues, workers, stats and queue purge. Property names are a documented contract
// (docs/operations.md): add, never rename. Ages are seconds (a number), times ISO 8601.

/// <summary>One queue's counts (<c>queues --json</c>, <c>stats --json</c>), as <see cref="QueueInfo"/> has them.</summary>
internal sealed record QueueView(
    string Name,
    long Waiting,
    long Scheduled,
    long ScheduledDue,
    long InFlight,
    long DeadLetters,
    int Consumers,
    double? OldestWaitingSeconds)
{
    public static QueueView From(QueueInfo info) => new(
        info.Name,
        info.Waiting,
        info.Scheduled,
        info.ScheduledDue,
        info.InFlight,
        info.DeadLetters,
        info.Consumers,
        info.OldestWaitingAge is { } age ? Math.Round(age.TotalSeconds, 3) : null);
}

/// <summary><c>queues --json</c>.</summary>
internal sealed record QueuesView(DateTimeOffset CapturedAt, IReadOnlyList<QueueView> Queues);

/// <summary>One live worker (<c>workers --json</c>), as <see cref="WorkerInfo"/> has it.</summary>
internal sealed record WorkerView(
    string Name,
    string Host,
    int ProcessId,
    IReadOnlyList<string> Queues,
    DateTimeOffset StartedAt,
    DateTimeOffset LastHeartbeat,
    int Running)
{
    public static WorkerView From(WorkerInfo info) =>
        new(info.Name, info.Host, info.ProcessId, info.Queues, info.StartedAt, info.LastHeartbeat, info.Running);
}

/// <summary><c>workers --json</c>.</summary>
internal sealed record WorkersView(DateTimeOffset CapturedAt, IReadOnlyList<WorkerView> Workers);

/// <summary><c>stats --json</c>: the totals over every queue and worker, then each queue.</summary>
internal sealed record StatsView(
    DateTimeOffset CapturedAt,
    int QueueCount,
    int WorkerCount,
    int Running,
    long Waiting,
    long Scheduled,
    long ScheduledDue,
    long InFlight,
    long DeadLetters,
    double? OldestWaitingSeconds,
    IReadOnlyList<QueueView> Queues)
{
    public static StatsView From(DateTimeOffset capturedAt, IReadOnlyList<QueueInfo> queues, IReadOnlyList<WorkerInfo> workers)
    {
        long waiting = 0, scheduled = 0, due = 0, inFlight = 0, dead = 0;
        double? oldest = null;
        var views = new QueueView[queues.Count];
        for (var i = 0; i < views.Length; i++)
        {
            var view = views[i] = QueueView.From(queues[i]);
            waiting += view.Waiting;
            scheduled += view.Scheduled;
            due += view.ScheduledDue;
            inFlight += view.InFlight;
            dead += view.DeadLetters;
            if (view.OldestWaitingSeconds is { } age && (oldest is null || age > oldest))
            {
                oldest = age;
            }
        }

        var running = 0;
        foreach (var worker in workers)
        {
            running += worker.Running;
        }

        return new StatsView(capturedAt, queues.Count, workers.Count, running, waiting, scheduled, due, inFlight, dead, oldest, views);
    }
}

/// <summary><c>queue purge --json</c>: what left the queue.</summary>
internal sealed record QueuePurgeView(string Action, string Queue, long Waiting, long Scheduled);
