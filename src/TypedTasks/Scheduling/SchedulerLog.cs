using System;
using Microsoft.Extensions.Logging;

namespace TypedTasks;

/// <summary>The scheduler's log events.</summary>
internal static partial class SchedulerLog
{
    [LoggerMessage(EventId = 40, Level = LogLevel.Information, Message = "Scheduler started: {Declared} declared schedule(s), missed ticks {Policy} (threshold {Threshold})")]
    public static partial void Started(ILogger logger, int declared, MissedTickPolicy policy, TimeSpan threshold);

    [LoggerMessage(EventId = 41, Level = LogLevel.Debug, Message = "Schedule {Schedule}: sent tick {Tick:O} as task {TaskId}")]
    public static partial void Fired(ILogger logger, string schedule, DateTimeOffset tick, string taskId);

    [LoggerMessage(EventId = 42, Level = LogLevel.Information, Message = "Schedule {Schedule}: missed tick {Tick:O} skipped (missed ticks policy Skip)")]
    public static partial void Skipped(ILogger logger, string schedule, DateTimeOffset tick);

    [LoggerMessage(EventId = 43, Level = LogLevel.Information, Message = "Schedule {Schedule}: ticks missed while no scheduler ran; sent the latest, {Tick:O}, once as task {TaskId}")]
    public static partial void CaughtUp(ILogger logger, string schedule, DateTimeOffset tick, string taskId);

    [LoggerMessage(EventId = 44, Level = LogLevel.Error, Message = "Schedule {Schedule} cannot run on this scheduler and is ignored")]
    public static partial void Unusable(ILogger logger, Exception exception, string schedule);

    [LoggerMessage(EventId = 45, Level = LogLevel.Warning, Message = "The scheduler's broker call failed ({Reason}); retrying in {Delay}")]
    public static partial void StoreFailed(ILogger logger, string reason, TimeSpan delay);

    [LoggerMessage(EventId = 48, Level = LogLevel.Debug, Message = "The scheduler's broker call failed")]
    public static partial void StoreFailedDetail(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 46, Level = LogLevel.Information, Message = "Schedule {Schedule} is no longer declared by actor {Actor}; removed")]
    public static partial void Pruned(ILogger logger, string schedule, string actor);

    [LoggerMessage(EventId = 47, Level = LogLevel.Information, Message = "Scheduler stopped")]
    public static partial void Stopped(ILogger logger);
}
