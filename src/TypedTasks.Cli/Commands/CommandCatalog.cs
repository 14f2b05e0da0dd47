using System.Collections.Generic;
using System.CommandLine;

namespace TypedTasks.Cli.Commands;

/// <summary>Every top-level command, in the order <c>--help</c> lists them.</summary>
internal static class CommandCatalog
{
    public static IEnumerable<Command> Create(GlobalOptions options) =>
    [
        MonitorCommands.Stats(options),
        MonitorCommands.Queues(options),
        MonitorCommands.Workers(options),
        DeadLetterCommands.Create(options),
        MonitorCommands.Queue(options),
        TaskCommands.Create(options),
        WorkflowCommands.Create(options),
        TopCommand.Create(options),
    ];
}
