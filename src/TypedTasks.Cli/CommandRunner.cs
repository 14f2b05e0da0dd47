using System;
using System.CommandLine;
using System.Threading;
using System.Threading.Tasks;
using StackExchange.Redis;

namespace TypedTasks.Cli;

/// <summary>
/// Runs a command's body with a connected <see cref="CommandContext"/> and turns every failure into one line on stderr
/// and its exit code (<see cref="ExitCodes"/>): no stack traces for expected failures, never 0 after one.
/// </summary>
internal static class CommandRunner
{
    public static void SetRunner(this Command command, GlobalOptions options, Func<CommandContext, ParseResult, CancellationToken, Task<int>> body) =>
        command.SetAction((parseResult, cancellationToken) => RunAsync(options, parseResult, body, cancellationToken));

    private static async Task<int> RunAsync(
        GlobalOptions options,
        ParseResult parseResult,
        Func<CommandContext, ParseResult, CancellationToken, Task<int>> body,
        CancellationToken cancellationToken)
    {
        var output = CliOutput.ForSystemConsole();
        try
        {
            var context = await CommandContext.ConnectAsync(
                options.RedisConfiguration(parseResult), options.KeyPrefix(parseResult), options.ConsumerGroupName(parseResult), output, Confirmation.ForConsole()).ConfigureAwait(false);
            await using (context.ConfigureAwait(false))
            {
                return await body(context, parseResult, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            var (code, message) = Describe(ex, cancellationToken);
            output.Error.WriteLine("typedtasks: " + message);
            return code;
        }
    }

    internal static (int ExitCode, string Message) Describe(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        CliException cli => (cli.ExitCode, cli.Message),
        RedisConnectionException connection => (ExitCodes.Unreachable, "lost the connection to Redis: " + FirstLine(connection.Message)),
        RedisTimeoutException timeout => (ExitCodes.Unreachable, "Redis did not answer in time: " + FirstLine(timeout.Message)),
        OperationCanceledException when cancellationToken.IsCancellationRequested => (ExitCodes.Failure, "cancelled"),
        RedisServerException server => (ExitCodes.Failure, "Redis refused the command: " + FirstLine(server.Message)),
        // The library refusing a value the user typed (an --after that is no dead-letter id, a malformed name).
        ArgumentException argument => (ExitCodes.Usage, FirstLine(WithoutParameterName(argument))),
        _ => (ExitCodes.Failure, $"unexpected error: {exception.GetType().Name}: {FirstLine(exception.Message)}"),
    };

    private static string WithoutParameterName(ArgumentException exception)
    {
        var message = exception.Message;
        var suffix = exception.ParamName is { } name ? $" (Parameter '{name}')" : null;
        return suffix is not null && message.EndsWith(suffix, StringComparison.Ordinal) ? message[..^suffix.Length] : message;
    }

    private static string FirstLine(string text)
    {
        var end = text.AsSpan().IndexOfAny('\r', '\n');
        return end < 0 ? text : text[..end];
    }
}
