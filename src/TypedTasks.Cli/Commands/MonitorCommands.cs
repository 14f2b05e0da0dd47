using System;
using System.CommandLine;
using TypedTasks.Cli.Output;

namespace TypedTasks.Cli.Commands;

/// <summary><c>stats</c>, <c>queues</c>, <c>workers</c> and <c>queue purge</c>: the monitoring API, printed.</summary>
internal static class MonitorCommands
{
    public static Command Stats(GlobalOptions options)
    {
        var json = GlobalOptions.Json();
        var command = new Command("stats", "Totals over every queue and worker: waiting, scheduled, in flight, dead letters, running") { json };
        command.SetRunner(options, async (context, parseResult, cancellationToken) =>
        {
            var snapshot = await MonitorSnapshot.ReadAsync(context, cancellationToken).ConfigureAwait(false);
            if (parseResult.GetValue(json))
            {
                context.Output.WriteJson(snapshot.Stats, CliJsonContext.Default.StatsView);
            }
            else
            {
                context.Output.Console.Write(MonitorTables.Totals(snapshot.Stats));
            }

            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Queues(GlobalOptions options)
    {
        var json = GlobalOptions.Json();
        var command = new Command("queues", "Every queue with its counts: waiting, scheduled (due), in flight, dead letters, consumers, oldest waiting age") { json };
        command.SetRunner(options, async (context, parseResult, cancellationToken) =>
        {
            var queues = await context.Monitor.GetQueuesAsync(cancellationToken).ConfigureAwait(false);
            var views = new QueueView[queues.Count];
            for (var i = 0; i < views.Length; i++)
            {
                views[i] = QueueView.From(queues[i]);
            }

            if (parseResult.GetValue(json))
            {
                context.Output.WriteJson(new QueuesView(queues.Count > 0 ? queues[0].CapturedAt : DateTimeOffset.UtcNow, views), CliJsonContext.Default.QueuesView);
            }
            else
            {
                context.Output.Console.Write(MonitorTables.Queues(views));
            }

            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Workers(GlobalOptions options)
    {
        var json = GlobalOptions.Json();
        var command = new Command("workers", "The live workers: name, host, queues, running tasks, last heartbeat") { json };
        command.SetRunner(options, async (context, parseResult, cancellationToken) =>
        {
            var now = DateTimeOffset.UtcNow;
            var workers = await context.Monitor.GetWorkersAsync(cancellationToken).ConfigureAwait(false);
            var views = new WorkerView[workers.Count];
            for (var i = 0; i < views.Length; i++)
            {
                views[i] = WorkerView.From(workers[i]);
            }

            if (parseResult.GetValue(json))
            {
                context.Output.WriteJson(new WorkersView(now, views), CliJsonContext.Default.WorkersView);
            }
            else
            {
                context.Output.Console.Write(MonitorTables.Workers(views, now));
            }

            return ExitCodes.Success;
        });
        return command;
    }

    public static Command Queue(GlobalOptions options)
    {
        var queue = new Argument<string>("queue") { Description = "The queue to empty" };
        var yes = GlobalOptions.Yes();
        var json = GlobalOptions.Json();
        var purge = new Command(
            "purge",
            "Delete every waiting and scheduled message of a queue (asks first). Tasks already running finish; dead letters stay (dead-letters purge)")
        {
            queue, yes, json,
        };
        purge.SetRunner(options, async (context, parseResult, cancellationToken) =>
        {
            var name = parseResult.GetValue(queue)!;
            var info = await DeadLetterQueries.RequireQueueAsync(context, name, cancellationToken).ConfigureAwait(false);
            context.Confirmation.Require(
                $"Purge queue '{name}': delete its {Tables.Count(info.Waiting)} waiting and {Tables.Count(info.Scheduled)} scheduled message(s)",
                parseResult.GetValue(yes));
            var result = await context.Monitor.PurgeQueueAsync(name, cancellationToken).ConfigureAwait(false);
            if (parseResult.GetValue(json))
            {
                context.Output.WriteJson(new QueuePurgeView("purged", name, result.Waiting, result.Scheduled), CliJsonContext.Default.QueuePurgeView);
            }
            else
            {
                context.Output.WriteLine($"purged {result.Waiting} waiting and {result.Scheduled} scheduled message(s) from '{name}'");
            }

            return ExitCodes.Success;
        });
        return new Command("queue", "Operate on one queue") { purge };
    }
}
