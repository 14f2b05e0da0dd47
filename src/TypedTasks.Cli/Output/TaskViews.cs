namespace TypedTasks.Cli.Output;

/// <summary><c>task cancel --json</c>: <c>result</c> is a <see cref="CancelResult"/> name.</summary>
internal sealed record TaskCancelView(string TaskId, string Result);
