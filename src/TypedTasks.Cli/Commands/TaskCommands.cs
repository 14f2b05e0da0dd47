using System.CommandLine;
using TypedTasks.Cli.Output;

namespace TypedTasks.Cli.Commands;

/// <summary><c>task cancel</c>: one task by id, through the client API (<see cref="ITaskClient.CancelAsync"/>).</summary>
internal static class TaskCommands
{
    public static Command Create(GlobalOptions options) => new("task", "One task by id: cancel it")
    {
        Cancel(options),
    };

    private static Argument<string> Id() => new("id") { Description = "The task id (TaskHandle.Id, or 'Task' in dead-letters list)" };

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
