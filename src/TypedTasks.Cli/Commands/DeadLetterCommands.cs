using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Threading;
using System.Threading.Tasks;
using Spectre.Console;
using TypedTasks.Cli.Output;

namespace TypedTasks.Cli.Commands;

/// <summary><c>dead-letters list|show|requeue|purge</c>.</summary>
internal static class DeadLetterCommands
{
    public static Command Create(GlobalOptions options) => new("dead-letters", "List, inspect, requeue and purge dead letters: messages that failed for good")
    {
        List(options),
        Show(options),
        Requeue(options),
        Purge(options),
    };

    private static Option<string> Queue() => new("--queue", "-q")
    {
        Description = "The queue whose dead letters to use",
        Required = true,
    };

    private static Command List(GlobalOptions options)
    {
        var queue = Queue();
        var filter = new DeadLetterFilterOptions();
        var limit = new Option<int>("--limit", "-n") { Description = "At most this many per page", DefaultValueFactory = _ => 50 };
        var after = new Option<string?>("--after") { Description = "Start after this dead-letter id (the 'next' of the previous page)", HelpName = "id" };
        var json = GlobalOptions.Json();
        var command = new Command("list", "List dead letters, oldest first, with their ids (for show/requeue/purge)") { queue, limit, after, json };
        foreach (var option in filter.All)
        {
            command.Options.Add(option);
        }

        limit.Validators.Add(static result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError("--limit must be at least 1.");
            }
        });

        command.SetRunner(options, async (context, parseResult, cancellationToken) =>
        {
            var page = await DeadLetterQueries.PageAsync(
                context, parseResult.GetValue(queue)!, filter.Read(parseResult), parseResult.GetValue(after), parseResult.GetValue(limit), cancellationToken).ConfigureAwait(false);
            if (parseResult.GetValue(json))
            {
                context.Output.WriteJson(page, CliJsonContext.Default.DeadLetterPageView);
                return ExitCodes.Success;
            }

            var table = Tables.Create("Id", "Task", "Actor", "Reason", "Attempt", "Dead-lettered", "Error").RightAlign(4);
            table.Columns[6].NoWrap(); // already shortened to one line: 'show' has the whole message
            foreach (var item in page.Items)
            {
                table.AddRow(
                    Tables.Text(item.Id),
                    Tables.Text(item.TaskId),
                    Tables.Text(item.Actor),
                    Tables.Text(item.Reason),
                    item.Attempt?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-",
                    Tables.Time(item.DeadLetteredAt),
                    Tables.Shorten(item.Message, 48));
            }

            context.Output.Console.Write(table);
            context.Output.WriteLine(page.Next is null
                ? $"{page.Count} dead letter(s) in '{page.Queue}'"
                : $"{page.Count} dead letter(s) in '{page.Queue}' shown; more after {page.Next} (--after {page.Next})");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Show(GlobalOptions options)
    {
        var queue = Queue();
        var id = new Argument<string>("id") { Description = "The dead letter's id (from 'dead-letters list')" };
        var json = GlobalOptions.Json();
        var command = new Command("show", "Show one dead letter: error, stack trace, arguments, headers") { id, queue, json };
        command.SetRunner(options, async (context, parseResult, cancellationToken) =>
        {
            var letter = await DeadLetterQueries.FindAsync(context, parseResult.GetValue(queue)!, parseResult.GetValue(id)!, cancellationToken).ConfigureAwait(false);
            var view = DeadLetterDetailView.From(letter);
            if (parseResult.GetValue(json))
            {
                context.Output.WriteJson(view, CliJsonContext.Default.DeadLetterDetailView);
                return ExitCodes.Success;
            }

            var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
            grid.AddRow("Id", Tables.Text(view.Id));
            grid.AddRow("Queue", Tables.Text(view.Queue));
            grid.AddRow("Task", Tables.Text(view.TaskId));
            grid.AddRow("Actor", Tables.Text(view.Actor));
            grid.AddRow("Reason", Tables.Text(view.Reason));
            grid.AddRow("Error", Tables.Text(view.ErrorType));
            grid.AddRow("Message", Tables.Text(view.Message));
            grid.AddRow("Attempt", view.Attempt?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-");
            grid.AddRow("Enqueued", view.EnqueuedAt is { } enqueued ? Tables.Time(enqueued) : "-");
            grid.AddRow("Dead-lettered", Tables.Time(view.DeadLetteredAt));
            grid.AddRow("Arguments", Tables.Text(view.Arguments));
            if (view.Headers is { Count: > 0 } headers)
            {
                foreach (var (name, value) in headers)
                {
                    grid.AddRow("Header " + Tables.Text(name), Tables.Text(value));
                }
            }

            if (view.RawFields is { Count: > 0 } raw)
            {
                foreach (var (name, value) in raw)
                {
                    grid.AddRow("Field " + Tables.Text(name), Tables.Text(value));
                }
            }

            context.Output.Console.Write(grid);
            if (view.StackTrace is { } stack)
            {
                context.Output.WriteLine(string.Empty);
                context.Output.WriteLine(stack);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Requeue(GlobalOptions options) => Change(
        options,
        "requeue",
        "Send dead letters back to their queue as fresh first attempts: by id, by filter, or --all (filter and --all ask first)",
        "requeued",
        confirmById: false,
        DeadLetterQueries.RequeueAsync);

    private static Command Purge(GlobalOptions options) => Change(
        options,
        "purge",
        "Delete dead letters for good: by id, by filter, or --all (asks first)",
        "purged",
        confirmById: true,
        DeadLetterQueries.PurgeAsync);

    private static Command Change(
        GlobalOptions options,
        string name,
        string description,
        string verb,
        bool confirmById,
        Func<CommandContext, string, DeadLetterSelection, CancellationToken, Task<ChangeView>> apply)
    {
        var queue = Queue();
        var ids = new Argument<string[]>("id") { Description = "Dead-letter ids (from 'dead-letters list')", Arity = ArgumentArity.ZeroOrMore };
        var filter = new DeadLetterFilterOptions();
        var all = new Option<bool>("--all") { Description = "Every dead letter of the queue" };
        var yes = GlobalOptions.Yes();
        var json = GlobalOptions.Json();
        var command = new Command(name, description) { ids, queue, all, yes, json };
        foreach (var option in filter.All)
        {
            command.Options.Add(option);
        }

        command.Validators.Add(result =>
        {
            var given = (result.GetValue(ids) is { Length: > 0 } ? 1 : 0) + (filter.AnyGiven(result) ? 1 : 0) + (result.GetValue(all) ? 1 : 0);
            if (given != 1)
            {
                result.AddError($"Name what to {name}: dead-letter ids, a filter (--reason, --actor, --older-than), or --all; exactly one of them.");
            }
        });

        command.SetRunner(options, async (context, parseResult, cancellationToken) =>
        {
            var queueName = parseResult.GetValue(queue)!;
            var selection = new DeadLetterSelection(parseResult.GetValue(ids) ?? [], filter.Read(parseResult), filter.Describe(parseResult));
            // An unknown queue is reported as such (exit 4) before anyone is asked to confirm anything.
            await DeadLetterQueries.RequireQueueAsync(context, queueName, cancellationToken).ConfigureAwait(false);
            if (confirmById || !selection.IsByIds)
            {
                context.Confirmation.Require($"{char.ToUpperInvariant(name[0])}{name[1..]} {selection.Describe()} of queue '{queueName}'", parseResult.GetValue(yes));
            }

            var change = await apply(context, queueName, selection, cancellationToken).ConfigureAwait(false);
            if (parseResult.GetValue(json))
            {
                context.Output.WriteJson(change, CliJsonContext.Default.ChangeView);
            }
            else
            {
                context.Output.WriteLine($"{verb} {change.Count} dead letter(s) of '{queueName}'");
            }

            return ExitCodes.Success;
        });
        return command;
    }
}

/// <summary>Which dead letters a requeue or purge applies to: ids, or a filter (null: all).</summary>
internal sealed record DeadLetterSelection(IReadOnlyList<string> Ids, DeadLetterFilter? Filter, string FilterDescription)
{
    public bool IsByIds => Ids.Count > 0;

    public string Describe() => IsByIds ? (Ids.Count == 1 ? "dead letter " + Ids[0] : Ids.Count + " dead letters")
        : Filter is null ? "every dead letter"
        : "the dead letters with " + FilterDescription;
}
