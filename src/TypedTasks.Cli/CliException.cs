using System;

namespace TypedTasks.Cli;

/// <summary>A failure the CLI reports as one line on stderr with <see cref="ExitCode"/>, without a stack trace.</summary>
internal sealed class CliException : Exception
{
    public CliException(int exitCode, string message)
        : base(message)
    {
        ExitCode = exitCode;
    }

    public CliException()
    {
    }

    public CliException(string message)
        : base(message)
    {
        ExitCode = ExitCodes.Failure;
    }

    public CliException(string message, Exception innerException)
        : base(message, innerException)
    {
        ExitCode = ExitCodes.Failure;
    }

    public int ExitCode { get; } = ExitCodes.Failure;

    public static CliException NotFound(string message) => new(ExitCodes.NotFound, message);

    public static CliException Usage(string message) => new(ExitCodes.Usage, message);
}
