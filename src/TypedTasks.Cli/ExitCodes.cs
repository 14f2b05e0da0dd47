namespace TypedTasks.Cli;

/// <summary>
/// The process exit codes, one per kind of outcome, so a script can tell "nothing there" from "Redis is down"
/// (documented in docs/operations.md; the tests assert each one).
/// </summary>
internal static class ExitCodes
{
    /// <summary>The command did what it was asked.</summary>
    public const int Success = 0;

    /// <summary>An unexpected failure: a Redis error during the command, or a bug (the message says which).</summary>
    public const int Failure = 1;

    /// <summary>The command line is wrong: an unknown command or option, a missing or malformed value.</summary>
    public const int Usage = 2;

    /// <summary>Redis could not be reached within the connect timeout, or the connection dropped during the command.</summary>
    public const int Unreachable = 3;

    /// <summary>What the command names does not exist: an unknown queue, dead-letter id or task id.</summary>
    public const int NotFound = 4;

    /// <summary>A destructive command was not confirmed: <c>--yes</c> missing with stdin not a terminal, or the
    /// prompt answered no. Nothing was changed.</summary>
    public const int NotConfirmed = 5;
}
