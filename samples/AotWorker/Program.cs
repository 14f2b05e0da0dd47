using System;
using System.CommandLine;
using System.Globalization;
using System.Threading.Tasks;
using AotWorker;

// AotWorker                  runs the worker until SIGTERM / Ctrl+C
// AotWorker enqueue N        sends N additions and a few reports from this process, waits for every result, checks them
// AotWorker probe            sends one addition and prints its task id (used to time start-up)
// AotWorker send-unique      sends a long math.wait twice, unique by arguments, and prints the task id if the second was a duplicate
// AotWorker cancel ID        cancels task ID and waits for its cancelled outcome
// AotWorker workflow         sends a workflow (chains, a group, a chord) and checks its result and every step's status
// Dead letters are listed, shown and requeued with the typedtasks tool (src/TypedTasks.Cli; docs/operations.md).
// Redis comes from configuration: appsettings.json, the environment variable TypedTasks__Redis, or a host argument
// such as --TypedTasks:Redis=host:port. Arguments that are not this program's own go to Host.CreateApplicationBuilder.
var count = new Argument<int>("N")
{
    Description = "How many additions to send (at least 1)",
    // Parsed here rather than range-checked in a validator: validators run before the library's own conversion, so
    // one that reads the value of "enqueue abc" throws instead of reporting an error (dotnet/command-line-api#2645).
    CustomParser = static result =>
    {
        var text = result.Tokens[0].Value;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1)
        {
            return n;
        }

        result.AddError($"N must be a whole number of at least 1, not '{text}'.");
        return 0;
    },
};
var taskId = new Argument<string>("ID") { Description = "The task to cancel" };

var run = new Command("run", "Run the worker until SIGTERM / Ctrl+C (the default without a command).");
var enqueue = new Command("enqueue", "Send N additions and 10 reports, wait for every result and check them.") { count };
var probe = new Command("probe", "Send one addition and print its task id (used to time start-up).");
var sendUnique = new Command("send-unique", "Send a long math.wait twice, unique by arguments; print its id if the second was a duplicate.");
var cancel = new Command("cancel", "Cancel a task and wait for its cancelled outcome.") { taskId };
var workflow = new Command("workflow", "Send a workflow (a group of chains, a chord, a chain), check its result and that every step succeeded.");
var root = new RootCommand(
    "TypedTasks worker sample, published with NativeAOT. Settings come from appsettings.json, the environment " +
    "(TypedTasks__Redis=host:port) or host arguments (--TypedTasks:Redis=host:port).")
{
    run, enqueue, probe, sendUnique, cancel, workflow,
};

// The generic host reads its own arguments (--TypedTasks:Redis=..., --environment ...): leave them to it.
root.TreatUnmatchedTokensAsErrors = false;
foreach (var command in root.Subcommands)
{
    command.TreatUnmatchedTokensAsErrors = false;
}

root.SetAction(parseResult => parseResult.UnmatchedTokens is [var first, ..] && !first.StartsWith('-')
    ? Task.FromResult(UnknownCommand(first))
    : WorkerHost.RunAsync(HostArguments(parseResult)));
run.SetAction(parseResult => WorkerHost.RunAsync(HostArguments(parseResult)));
enqueue.SetAction(parseResult => Producer.EnqueueAndCheckAsync(parseResult.GetValue(count), HostArguments(parseResult)));
probe.SetAction(parseResult => Producer.ProbeAsync(HostArguments(parseResult)));
sendUnique.SetAction(parseResult => Producer.SendUniqueAsync(HostArguments(parseResult)));
cancel.SetAction(parseResult => Producer.CancelAsync(parseResult.GetValue(taskId)!, HostArguments(parseResult)));
workflow.SetAction(parseResult => Producer.WorkflowAsync(HostArguments(parseResult)));
return await root.Parse(args).InvokeAsync();

static string[] HostArguments(ParseResult parseResult) => [.. parseResult.UnmatchedTokens];

// Host arguments start with '-' (--key=value, --key value); a leading plain word is a mistyped command, not configuration.
static int UnknownCommand(string command)
{
    Console.Error.WriteLine(
        $"Unknown command '{command}'. Commands: run (default), enqueue N, probe, send-unique, cancel ID, workflow; see --help (dead letters: the typedtasks tool).");
    return 1;
}
