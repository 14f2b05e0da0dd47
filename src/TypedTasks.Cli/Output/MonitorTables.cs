using System;
using System.Collections.Generic;
using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace TypedTasks.Cli.Output;

/// <summary>The tables of <c>queues</c>, <c>workers</c> and <c>stats</c>; <c>top</c> shows the same ones, refreshed.</summary>
internal static class MonitorTables
{
    public static Table Queues(IReadOnlyList<QueueView> queues)
    {
        var table = Tables.Create("Queue", "Waiting", "Scheduled", "Due", "In flight", "Dead", "Consumers", "Oldest waiting")
            .RightAlign(1, 2, 3, 4, 5, 6, 7);
        foreach (var queue in queues)
        {
            table.AddRow(
                Tables.Text(queue.Name),
                Tables.Count(queue.Waiting),
                Tables.Count(queue.Scheduled),
                Tables.Count(queue.ScheduledDue),
                Tables.Count(queue.InFlight),
                queue.DeadLetters > 0 ? $"[red]{Tables.Count(queue.DeadLetters)}[/]" : "0",
                queue.Consumers.ToString(CultureInfo.InvariantCulture),
                queue.OldestWaitingSeconds is { } age ? Tables.Age(TimeSpan.FromSeconds(age)) : "-");
        }

        if (queues.Count == 0)
        {
            table.Caption("no queues yet: a queue appears once a task is sent to it or a worker consumes it");
        }

        return table;
    }

    public static Table Workers(IReadOnlyList<WorkerView> workers, DateTimeOffset now)
    {
        var table = Tables.Create("Worker", "Host", "PID", "Queues", "Running", "Up", "Last heartbeat").RightAlign(2, 4);
        foreach (var worker in workers)
        {
            table.AddRow(
                Tables.Text(worker.Name),
                Tables.Text(worker.Host),
                worker.ProcessId.ToString(CultureInfo.InvariantCulture),
                Tables.Text(string.Join(", ", worker.Queues)),
                worker.Running.ToString(CultureInfo.InvariantCulture),
                Tables.Age(now - worker.StartedAt),
                Tables.Age(now - worker.LastHeartbeat) + " ago");
        }

        if (workers.Count == 0)
        {
            table.Caption("no live workers");
        }

        return table;
    }

    public static Grid Totals(StatsView stats)
    {
        var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn(new GridColumn().RightAligned());
        grid.AddRow("Queues", stats.QueueCount.ToString(CultureInfo.InvariantCulture));
        grid.AddRow("Workers", stats.WorkerCount.ToString(CultureInfo.InvariantCulture));
        grid.AddRow("Running", stats.Running.ToString(CultureInfo.InvariantCulture));
        grid.AddRow("Waiting", Tables.Count(stats.Waiting));
        grid.AddRow("Scheduled", Tables.Count(stats.Scheduled) + (stats.ScheduledDue > 0 ? $" ({Tables.Count(stats.ScheduledDue)} due)" : string.Empty));
        grid.AddRow("In flight", Tables.Count(stats.InFlight));
        grid.AddRow("Dead letters", stats.DeadLetters > 0 ? $"[red]{Tables.Count(stats.DeadLetters)}[/]" : "0");
        grid.AddRow("Oldest waiting", stats.OldestWaitingSeconds is { } age ? Tables.Age(TimeSpan.FromSeconds(age)) : "-");
        return grid;
    }

    /// <summary>One frame of <c>top</c>: a heading line with the totals, the queues, the workers.</summary>
    public static IRenderable Frame(StatsView stats, IReadOnlyList<WorkerView> workers, string target)
    {
        var heading = new Markup(string.Create(
            CultureInfo.InvariantCulture,
            $"[bold]typedtasks top[/] {Tables.Text(target)}  {Tables.Time(stats.CapturedAt)}  " +
            $"waiting {Tables.Count(stats.Waiting)}  scheduled {Tables.Count(stats.Scheduled)}  in flight {Tables.Count(stats.InFlight)}  " +
            $"dead {Tables.Count(stats.DeadLetters)}  workers {stats.WorkerCount}  running {stats.Running}"));
        return new Rows(heading, Queues(stats.Queues), Workers(workers, stats.CapturedAt));
    }
}
