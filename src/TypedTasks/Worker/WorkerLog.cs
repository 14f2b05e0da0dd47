using System;
using Microsoft.Extensions.Logging;

namespace TypedTasks;

/// <summary>The worker's log events (source-generated: no boxing or formatting when the level is off).</summary>
internal static partial class WorkerLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Worker started: queues {Queues}, concurrency {Concurrency}, prefetch {Prefetch}")]
    public static partial void Started(ILogger logger, string queues, int concurrency, int prefetch);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Worker stopping: released {Released} unstarted message(s), waiting up to {Timeout} for {Running} running actor(s)")]
    public static partial void Stopping(ILogger logger, int released, TimeSpan timeout, int running);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Worker stopped")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Shutdown timeout elapsed; cancelling running actors")]
    public static partial void ShutdownTimeoutElapsed(ILogger logger);

    [LoggerMessage(EventId = 5, Level = LogLevel.Error, Message = "Actors still running after cancellation were abandoned; the broker will redeliver their messages")]
    public static partial void ActorsAbandoned(ILogger logger);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "Disposing the broker consumer failed")]
    public static partial void ConsumerDisposeFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 7, Level = LogLevel.Error, Message = "{Count} acknowledgement(s) still unconfirmed when the stop was cut short were abandoned; the broker will redeliver their messages")]
    public static partial void AcksAbandoned(ILogger logger, int count);

    [LoggerMessage(EventId = 8, Level = LogLevel.Error, Message = "Actor {Actor} cannot run on this worker: the service provider has no {Missing}")]
    public static partial void MissingDependencies(ILogger logger, string actor, string missing);

    [LoggerMessage(EventId = 10, Level = LogLevel.Warning, Message = "Receiving from the broker failed; retrying in {Delay}")]
    public static partial void ReceiveFailed(ILogger logger, Exception exception, TimeSpan delay);

    // Event 11 (a retried broker call) is retired: the worker no longer retries settlement, the broker does.
    [LoggerMessage(EventId = 12, Level = LogLevel.Error, Message = "Broker call {Operation} for task {TaskId} failed; the broker will redeliver the message")]
    public static partial void BrokerCallAbandoned(ILogger logger, Exception exception, string operation, string taskId);

    [LoggerMessage(EventId = 13, Level = LogLevel.Error, Message = "Unexpected failure while processing task {TaskId}")]
    public static partial void ProcessingCrashed(ILogger logger, Exception exception, string taskId);

    [LoggerMessage(EventId = 20, Level = LogLevel.Debug, Message = "Task {TaskId} ({Actor}) attempt {Attempt} succeeded")]
    public static partial void AttemptSucceeded(ILogger logger, string taskId, string actor, int attempt);

    [LoggerMessage(EventId = 21, Level = LogLevel.Warning, Message = "Task {TaskId} ({Actor}) attempt {Attempt} failed; retrying in {Delay}")]
    public static partial void AttemptFailedRetrying(ILogger logger, Exception exception, string taskId, string actor, int attempt, TimeSpan delay);

    [LoggerMessage(EventId = 22, Level = LogLevel.Error, Message = "Task {TaskId} ({Actor}) dead-lettered after attempt {Attempt}: {Reason}")]
    public static partial void DeadLettered(ILogger logger, Exception? exception, string taskId, string actor, int attempt, DeadLetterReason reason);

    [LoggerMessage(EventId = 23, Level = LogLevel.Information, Message = "Task {TaskId} ({Actor}) was interrupted by shutdown and handed back to the broker")]
    public static partial void InterruptedByShutdown(ILogger logger, string taskId, string actor);

    [LoggerMessage(EventId = 24, Level = LogLevel.Warning, Message = "Disposing the DI scope of task {TaskId} ({Actor}) failed")]
    public static partial void ScopeDisposeFailed(ILogger logger, Exception exception, string taskId, string actor);

    [LoggerMessage(EventId = 25, Level = LogLevel.Warning, Message = "Task {TaskId}: no actor named {Actor} is registered on worker {Consumer} (queue {Queue}); attempt {Attempt} retried in {Delay} in case a worker that knows it is being deployed")]
    public static partial void UnknownActorRetrying(ILogger logger, string taskId, string actor, string queue, string consumer, int attempt, TimeSpan delay);

    [LoggerMessage(EventId = 40, Level = LogLevel.Warning, Message = "Recording the status of task {TaskId} failed; the task itself is unaffected")]
    public static partial void StatusWriteFailed(ILogger logger, Exception exception, string taskId);

    [LoggerMessage(EventId = 41, Level = LogLevel.Warning, Message = "Writing the progress of task {TaskId} failed; its next report tries again")]
    public static partial void ProgressWriteFailed(ILogger logger, Exception exception, string taskId);

    [LoggerMessage(EventId = 26, Level = LogLevel.Information, Message = "Task {TaskId} ({Actor}) was cancelled before it started; removed without running")]
    public static partial void SkippedCancelled(ILogger logger, string taskId, string actor);

    [LoggerMessage(EventId = 27, Level = LogLevel.Information, Message = "Task {TaskId} ({Actor}) attempt {Attempt} was cancelled while running; not retried")]
    public static partial void CancelledWhileRunning(ILogger logger, string taskId, string actor, int attempt);

    [LoggerMessage(EventId = 50, Level = LogLevel.Error, Message = "Handing over workflow step {TaskId} failed; the step is left to redelivery, whose hand-over repeats it")]
    public static partial void WorkflowHandOverFailed(ILogger logger, Exception exception, string taskId);

    [LoggerMessage(EventId = 51, Level = LogLevel.Error, Message = "Task {TaskId} is a workflow step, but broker {Broker} keeps no workflows; nothing is handed over")]
    public static partial void WorkflowsUnsupported(ILogger logger, string taskId, string broker);
}
