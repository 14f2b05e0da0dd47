using System.CommandLine;
using System.Globalization;
using System.Linq;
using Spectre.Console;
using TypedTasks.Cli.Output;

namespace TypedTasks.Cli.Commands;

/// <summary><c>workflow status|cancel</c>: one workflow by id, through the client API
/// (<see cref="ITaskClient.GetWorkflowStatusAsync"/>, <see cref="ITaskClient.CancelWorkflowAsync"/>).</summary>
internal static class WorkflowCommands
{
    public static Command Create(GlobalOptions options) => new("workflow", "One workflow by id: each step's state, or cancel it")
    {
        Status(options),
        Cancel(options),
    };

    private static Argument<string> Id() => new("id") { Description = "The workflow id (WorkflowHandle.Id)" };

    private static Command Status(GlobalOptions options)
    {
        var id = Id();
        var json = GlobalOptions.Json();
        var command = new Command("status", "Show a workflow's state and every step's: waiting, queued, succeeded, failed, cancelled, not run") { id, json };
        command.SetRunner(options, async (context, parseResult, cancellationToken) =>
        {
            var workflowId = parseResult.GetValue(id)!;
            WireNames.ThrowIfInvalid(workflowId, "workflow id", nameof(workflowId));
            var status = await new TaskClient(context.Broker).GetWorkflowStatusAsync(workflowId, cancellationToken).ConfigureAwait(false);
            if (status.State == WorkflowState.Unknown)
            {
                throw CliException.NotFound($"no workflow '{workflowId}' is stored: never sent, or expired; check --prefix");
            }

            var view = WorkflowStatusView.From(status);
            if (parseResult.GetValue(json))
            {
                context.Output.WriteJson(view, CliJsonContext.Default.WorkflowStatusView);
                return ExitCodes.Success;
            }

            var grid = new Grid().AddColumn(new GridColumn().NoWrap()).AddColumn();
            grid.AddRow("Workflow", Tables.Text(view.WorkflowId));
            grid.AddRow("State", Tables.Text(view.State));
            grid.AddRow("Steps", Tables.Count(view.Steps.Count));
            if (view.Error is { } error)
            {
                grid.AddRow("Reason", Tables.Text(error.Reason));
                grid.AddRow("Message", Tables.Text(error.Message));
            }

            context.Output.Console.Write(grid);
            var table = Tables.Create("#", "Task", "Actor", "Waits for", "State", "Error").RightAlign(0);
            foreach (var step in view.Steps)
            {
                table.AddRow(
                    step.Index.ToString(CultureInfo.InvariantCulture),
                    Tables.Text(step.TaskId),
                    Tables.Text(step.Actor ?? "(group)"),
                    Tables.Text(step.DependsOn.Count == 0 ? "-" : Tables.Shorten(string.Join(",", step.DependsOn.Select(d => d.ToString(CultureInfo.InvariantCulture))), 40)),
                    Tables.Text(step.State),
                    Tables.Text(step.Error is { } e ? Tables.Shorten(e.Type + ": " + e.Message, 80) : null));
            }

            context.Output.Console.Write(table);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Cancel(GlobalOptions options)
    {
        var id = Id();
        var json = GlobalOptions.Json();
        var command = new Command("cancel", "Cancel a workflow: steps not started never start, running steps' cancellation tokens fire; finished, nothing changes") { id, json };
        command.SetRunner(options, async (context, parseResult, cancellationToken) =>
        {
            var workflowId = parseResult.GetValue(id)!;
            WireNames.ThrowIfInvalid(workflowId, "workflow id", nameof(workflowId));
            var client = new TaskClient(context.Broker);
            if ((await client.GetWorkflowStatusAsync(workflowId, cancellationToken).ConfigureAwait(false)).State == WorkflowState.Unknown)
            {
                throw CliException.NotFound($"no workflow '{workflowId}' is stored: never sent, or expired; check --prefix");
            }

            var result = await client.CancelWorkflowAsync(workflowId, cancellationToken).ConfigureAwait(false);
            if (parseResult.GetValue(json))
            {
                context.Output.WriteJson(new TaskCancelView(workflowId, result.ToString()), CliJsonContext.Default.TaskCancelView);
            }
            else
            {
                context.Output.WriteLine(result switch
                {
                    CancelResult.Cancelled => $"cancelled workflow {workflowId}",
                    CancelResult.AlreadyCancelled => $"workflow {workflowId} was already cancelled; nothing changed",
                    _ => $"workflow {workflowId} had already finished; nothing changed",
                });
            }

            return ExitCodes.Success;
        });
        return command;
    }
}
