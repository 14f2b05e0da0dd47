using Microsoft.Extensions.Logging;

namespace AotWorker;

/// <summary>Source-generated log messages of the sample worker.</summary>
internal static partial class WorkerLog
{
    [LoggerMessage(1, LogLevel.Information, "First task ({Actor}) finished {ElapsedMilliseconds} ms after the process started")]
    public static partial void FirstTaskFinished(ILogger logger, string actor, long elapsedMilliseconds);

    [LoggerMessage(2, LogLevel.Information, "Scheduled task {TaskId} ({Actor}) ran")]
    public static partial void ScheduledTaskRan(ILogger logger, string taskId, string actor);
}
