using System;
using System.IO;

namespace TypedTasks.Cli;

/// <summary>
/// The guard in front of every destructive command: <c>--yes</c> confirms; otherwise a person at a terminal is asked,
/// and a script (stdin redirected: a pipe, a file, CI) is refused, so an unattended run never deletes by default.
/// </summary>
internal sealed class Confirmation
{
    private readonly TextReader _input;
    private readonly TextWriter _prompt;
    private readonly bool _inputIsTerminal;

    public Confirmation(TextReader input, TextWriter prompt, bool inputIsTerminal)
    {
        _input = input;
        _prompt = prompt;
        _inputIsTerminal = inputIsTerminal;
    }

    public static Confirmation ForConsole() => new(Console.In, Console.Error, !Console.IsInputRedirected);

    /// <summary>Returns when <paramref name="action"/> is confirmed; throws <see cref="ExitCodes.NotConfirmed"/> otherwise.</summary>
    /// <param name="action">What will happen, as a question without the question mark: "Purge 3 dead letters of 'math'".</param>
    public void Require(string action, bool yes)
    {
        if (yes)
        {
            return;
        }

        if (!_inputIsTerminal)
        {
            throw new CliException(
                ExitCodes.NotConfirmed,
                $"refusing to run without confirmation: {Lower(action)}; stdin is not a terminal, so pass --yes to confirm");
        }

        _prompt.Write($"{action}? [y/N] ");
        _prompt.Flush();
        var answer = _input.ReadLine()?.Trim();
        if (!string.Equals(answer, "y", StringComparison.OrdinalIgnoreCase) && !string.Equals(answer, "yes", StringComparison.OrdinalIgnoreCase))
        {
            throw new CliException(ExitCodes.NotConfirmed, "not confirmed; nothing was changed");
        }
    }

    private static string Lower(string action) => action.Length == 0 ? action : char.ToLowerInvariant(action[0]) + action[1..];
}
