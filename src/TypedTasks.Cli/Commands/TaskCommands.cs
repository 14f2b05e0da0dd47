using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using TypedTasks.Cli.Output;

namespace TypedTasks.Cli.Commands;

/// <summary><c>task status|cancel</c>: one task by id, through the client API (<see cref="ITaskClient.GetStatusAsync"/>,
/// <see cref="ITaskClient.CancelAsync"/>).</summary>
internal static class TaskCommands
{
    public static Command Create(GlobalOptions options) => new("task", "One task by id: its status, or cancel it")
    {
        Status(options),
        Cancel(options),
    };

    private static Argument<string> Id() => new("id") { Description = "The task id (TaskHandle.Id, or 'Task' in dead-letters list)" };

    private static Command Status(GlobalOptions options)
    {
        var id = Id();
        var json = GlobalOptions.Json();
        var command = new Command("status", "Show a task's status: state, attempt, worker, times, error, progress (every state for tracked tasks, finished states for all)") { id, json };
        command.SetRunner(options, async (context, parseResult, cancellationToken) =>
        {
            var taskId = parseResult.GetValue(id)!;
            WireNames.ThrowIfInvalid(taskId, "task id", nameof(taskId)); // a malformed id is a usage error (exit 2), as for cancel
            var status = await new TaskClient(context.Broker).GetStatusAsync(taskId, cancellationToken).ConfigureAwait(false);
            if (status.State == TaskState.Unknown)
            {
                throw CliException.NotFound($"nothing is known about task '{taskId}': never sent, sent without status tracking and not finished, or expired; check --prefix");
            }

            var view = TaskStatusView.From(status);
            if (parseResult.GetValue(json))
            {
                context.Output.WriteJson(view, CliJsonContext.Default.TaskStatusView);
                return ExitCodes.Success;
            }

            var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
            grid.AddRow("Task", Tables.Text(view.TaskId));
            grid.AddRow("State", Tables.Text(view.State));
            grid.AddRow("Attempt", view.Attempt.ToString(CultureInfo.InvariantCulture));
            AddRow(grid, "Worker", view.Worker);
            AddTime(grid, "Enqueued", view.EnqueuedAt);
            AddTime(grid, "Started", view.StartedAt);
            AddTime(grid, "Completed", view.CompletedAt);
            AddTime(grid, "Updated", view.UpdatedAt);
            AddTime(grid, "Next attempt", view.NextAttemptAt);
            if (view.Error is { } error)
            {
                grid.AddRow("Reason", Tables.Text(error.Reason));
                grid.AddRow("Error", Tables.Text(error.Type));
                grid.AddRow("Message", Tables.Text(error.Message));
            }

            if (view.Progress is { } progress)
            {
                var parts = new List<string>(2);
                if (progress.Percent is { } percent)
                {
                    parts.Add(percent.ToString("0.##", CultureInfo.InvariantCulture) + "%");
                }

                if (progress.Message is { } message)
                {
                    parts.Add(message);
                }

                grid.AddRow("Progress", Tables.Text(parts.Count == 0 ? "-" : string.Join(" ", parts)));
                AddRow(grid, "Progress value", progress.Value);
                grid.AddRow("Progress at", Tables.Time(progress.ReportedAt) + " (#" + progress.Sequence.ToString(CultureInfo.InvariantCulture) + ")");
            }

            context.Output.Console.Write(grid);
            if (view.Error?.StackTrace is { } stack)
            {
                context.Output.WriteLine(string.Empty);
                context.Output.WriteLine(stack);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static void AddRow(Grid grid, string name, string? value)
    {
        if (value is not null)
        {
            grid.AddRow(name, Tables.Text(value));
        }
    }

    private static void AddTime(Grid grid, string name, DateTimeOffset? value)
    {
        if (value is { } time)
        {
            grid.AddRow(name, Tables.Time(time));
        }
    }

    private static Command Cancel(GlobalOptions options)
    {
        var id = Id();
        var json = GlobalOptions.Json();
        var command = new Command("cancel", "Cancel a task: queued or scheduled, it never starts; running, its cancellation token fires; finished, nothing changes") { id, json };
        command.SetRunner(options, async (context, parseResult, cancellationToken) =>
        {
            var taskId = parseResult.GetValue(id)!;
            var result = await new TaskClient(context.Broker).CancelAsync(taskId, cancellationToken).ConfigureAwait(false);
            if (parseResult.GetValue(json))
            {
                context.Output.WriteJson(new TaskCancelView(taskId, result.ToString()), CliJsonContext.Default.TaskCancelView);
            }
            else
            {
                context.Output.WriteLine(result switch
                {
                    CancelResult.Cancelled => $"cancelled task {taskId}",
                    CancelResult.AlreadyCancelled => $"task {taskId} was already cancelled; nothing changed",
                    _ => $"task {taskId} had already finished; nothing changed",
                });
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
