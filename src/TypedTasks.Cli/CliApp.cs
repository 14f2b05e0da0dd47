using System;
using System.CommandLine;
using System.CommandLine.Help;
using System.Threading.Tasks;
using TypedTasks.Cli.Commands;

namespace TypedTasks.Cli;

/// <summary>The command tree and how a command line becomes an exit code.</summary>
internal static class CliApp
{
    public const string Name = "typedtasks";

    // A plain command named after the tool rather than a RootCommand, whose name (shown in every usage line) would be
    // the entry assembly's: "TypedTasks.Cli" (it cannot be "typedtasks", see the project file).
    public static Command CreateRoot()
    {
        var options = new GlobalOptions();
        var root = new Command(
            Name,
            "Inspect and operate a TypedTasks deployment on Redis: queues, workers, dead letters, a live view. " +
            "Tables for people, --json for scripts. Exit codes: 0 ok, 1 failure, 2 usage, 3 Redis unreachable, " +
            "4 not found, 5 not confirmed.")
        {
            options.Redis,
            options.Prefix,
            options.ConsumerGroup,
            new HelpOption(),
            new VersionOption(),
        };
        foreach (var command in CommandCatalog.Create(options))
        {
            root.Subcommands.Add(command);
        }

        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var parseResult = CreateRoot().Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            // One line, a distinct exit code; the library's default would print the whole help and exit 1.
            var messages = new string[parseResult.Errors.Count];
            for (var i = 0; i < messages.Length; i++)
            {
                messages[i] = OneLine(parseResult.Errors[i].Message);
            }

            Console.Error.WriteLine($"typedtasks: {string.Join(" ", messages)} (see 'typedtasks --help')");
            return ExitCodes.Usage;
        }

        return await parseResult.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false }).ConfigureAwait(false);
    }

    // "Cannot parse 'x'. Did you mean one of the following?\nA\nB" -> "... following? A, B".
    private static string OneLine(string message)
    {
        var lines = message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.Length <= 1 ? message.Trim() : lines[0] + " " + string.Join(", ", lines[1..]);
    }
}
