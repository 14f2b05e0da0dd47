using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using TypedTasks.Brokers;
using TypedTasks.Generated;

namespace TypedTasks;

/// <summary>
/// Sends the messages of periodic schedules when their ticks come. Run one in every worker process if you like: a
/// tick is claimed and its message enqueued in one atomic broker step (<see cref="IScheduleStore.ClaimTickAsync"/>),
/// so each tick is sent once however many schedulers run. Hosting runs one next to the worker
/// (<c>TypedTasks:Scheduler:Enabled</c>).
/// </summary>
/// <remarks>
/// <para>
/// At start it writes the schedules the registry's actors declare (<see cref="ScheduleAttribute"/>) and removes stored
/// declared schedules of those actors that are no longer declared. Then it sleeps until the earliest next tick, or at
/// most <see cref="SchedulerOptions.RefreshInterval"/>, after which it re-reads the stored schedules; it never polls
/// in a loop.
/// </para>
/// <para>
/// A tick less than <see cref="SchedulerOptions.MissedTickThreshold"/> late is sent as itself. Ticks later than that
/// (no scheduler ran) are missed: <see cref="MissedTickPolicy.FireOnce"/> sends one message for the latest of them,
/// <see cref="MissedTickPolicy.Skip"/> none. docs/schedules.md states the guarantees.
/// </para>
/// </remarks>
public sealed class PeriodicScheduler : IAsyncDisposable
{
    private static readonly TimeSpan s_firstRetryDelay = TimeSpan.FromMilliseconds(200);

    private readonly IScheduleStore _store;
    private readonly IActorRegistry? _registry;
    private readonly SchedulerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TaskSchedule[] _declared;
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<(string Cron, string? TimeZone), CronTimetable> _timetables = [];
    private readonly HashSet<(string Name, long Version)> _reportedUnusable = [];
    private readonly object _lifecycleLock = new();
    private Task? _loop;

    /// <summary>A scheduler for the schedules kept by <paramref name="broker"/>.</summary>
    /// <param name="broker">The broker whose <see cref="ITaskBroker.Schedules"/> holds the schedules.</param>
    /// <param name="registry">Actors whose <see cref="ScheduleAttribute"/>s are written at start; null = none.</param>
    /// <param name="options">Missed-tick policy, refresh interval, clock.</param>
    /// <param name="logger">Diagnostics.</param>
    /// <exception cref="ArgumentException">The broker keeps no schedules, an option is out of range, or a declared
    /// schedule cannot run here (its time zone is unknown on this machine).</exception>
    public PeriodicScheduler(ITaskBroker broker, IActorRegistry? registry = null, SchedulerOptions? options = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(broker);
        _store = broker.Schedules ?? throw new ArgumentException($"The broker {broker} keeps no schedules (ITaskBroker.Schedules is null).", nameof(broker));
        _options = options ?? new SchedulerOptions();
        _options.Validate();
        _time = _options.TimeProvider;
        _registry = registry;
        _logger = logger ?? NullLogger.Instance;
        _declared = registry is null ? [] : DeclaredSchedules(registry);
    }

    /// <summary>The schedules the actors of <paramref name="registry"/> declare, validated.</summary>
    /// <exception cref="ArgumentException">A declared schedule is invalid here, or two share a name.</exception>
    public static TaskSchedule[] DeclaredSchedules(IActorRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var schedules = new List<TaskSchedule>();
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var actor in registry.Actors)
        {
            foreach (var declared in actor.Schedules)
            {
                if (!owners.TryAdd(declared.Name, actor.Name))
                {
                    throw new ArgumentException($"Actors '{owners[declared.Name]}' and '{actor.Name}' both declare a schedule named '{declared.Name}'; schedule names must be unique.", nameof(registry));
                }

                var schedule = ToSchedule(actor, declared);
                try
                {
                    schedule.Validate();
                }
                catch (ArgumentException exception)
                {
                    throw new ArgumentException($"Schedule '{declared.Name}' of actor '{actor.Name}' cannot run here: {exception.Message}", nameof(registry), exception);
                }

                schedules.Add(schedule);
            }
        }

        return [.. schedules];
    }

    /// <summary>Writes the declared schedules and starts sending ticks. Returns at once; broker failures are retried
    /// in the background.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        lock (_lifecycleLock)
        {
            ObjectDisposedException.ThrowIf(_stop.IsCancellationRequested, this);
            if (_loop is null)
            {
                SchedulerLog.Started(_logger, _declared.Length, _options.MissedTicks, _options.MissedTickThreshold);
                _loop = Task.Run(RunAsync, CancellationToken.None);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Stops sending ticks; waits for a claim in flight to finish (or <paramref name="cancellationToken"/>).</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        Task? loop;
        lock (_lifecycleLock)
        {
            loop = _loop;
            if (!_stop.IsCancellationRequested)
            {
                _stop.Cancel();
            }
        }

        if (loop is not null)
        {
            await loop.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _stop.Dispose();
    }

    private static TaskSchedule ToSchedule(ActorDescriptor actor, ActorSchedule declared) => new()
    {
        Name = declared.Name,
        Cron = declared.Cron,
        TimeZone = declared.TimeZone,
        Actor = actor.Name,
        Queue = actor.Queue,
        Arguments = "{}"u8.ToArray(),
        IsDeclared = true,
    };

    private async Task RunAsync()
    {
        var token = _stop.Token;
        var retryDelay = s_firstRetryDelay;
        var registered = false;
        while (!token.IsCancellationRequested)
        {
            try
            {
                if (!registered)
                {
                    await RegisterDeclaredAsync(token).ConfigureAwait(false);
                    registered = true;
                }

                var wakeAt = await RunDueTicksAsync(token).ConfigureAwait(false);
                retryDelay = s_firstRetryDelay;
                var delay = wakeAt - _time.GetUtcNow();
                if (delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay, _time, token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                break;
            }
            catch (Exception exception)
            {
                // One line per failure; the stack only at Debug (a Redis outage would otherwise flood the log).
                SchedulerLog.StoreFailed(_logger, exception.GetType().Name + ": " + exception.Message, retryDelay);
                SchedulerLog.StoreFailedDetail(_logger, exception);
                try
                {
                    await Task.Delay(retryDelay, _time, token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                retryDelay = retryDelay * 2 < _options.RefreshInterval ? retryDelay * 2 : _options.RefreshInterval;
            }
        }

        SchedulerLog.Stopped(_logger);
    }

    private async Task RegisterDeclaredAsync(CancellationToken token)
    {
        var now = _time.GetUtcNow();
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var schedule in _declared)
        {
            names.Add(schedule.Name);
            await _store.SetAsync(schedule, now, token).ConfigureAwait(false);
        }

        if (_registry is null)
        {
            return;
        }

        // A declared schedule whose actor this process knows, but which the actor no longer declares, was removed
        // from the code: remove it from the store too. Schedules of actors unknown here belong to other applications.
        foreach (var stored in await _store.ListAsync(token).ConfigureAwait(false))
        {
            if (stored.IsDeclared && !names.Contains(stored.Name) && _registry.TryGetActor(stored.Actor, out _))
            {
                await _store.RemoveAsync(stored.Name, token).ConfigureAwait(false);
                SchedulerLog.Pruned(_logger, stored.Name, stored.Actor);
            }
        }
    }

    /// <summary>Claims every due tick of every stored schedule; returns when to look again.</summary>
    private async Task<DateTimeOffset> RunDueTicksAsync(CancellationToken token)
    {
        var schedules = await _store.ListAsync(token).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        var wakeAt = now + _options.RefreshInterval;
        foreach (var listed in schedules)
        {
            var schedule = listed;
            if (Timetable(schedule) is not { } timetable)
            {
                continue;
            }

            while (true)
            {
                token.ThrowIfCancellationRequested();
                now = _time.GetUtcNow();
                if (timetable.NextAfter(schedule.LastTick) is not { } next)
                {
                    break;
                }

                if (next > now)
                {
                    wakeAt = next < wakeAt ? next : wakeAt;
                    break;
                }

                var tick = next;
                var missed = now - next > _options.MissedTickThreshold;
                if (missed && timetable.LatestAtOrBefore(now - _options.MissedTickThreshold) is { } latestMissed && latestMissed > tick)
                {
                    tick = latestMissed;
                }

                var send = !missed || _options.MissedTicks == MissedTickPolicy.FireOnce;
                var claim = await _store.ClaimTickAsync(schedule, tick, send, now, token).ConfigureAwait(false);
                if (claim.Status is TickClaimStatus.Changed or TickClaimStatus.Removed)
                {
                    // Read again at once: the next pass sees the new definition.
                    return now;
                }

                if (claim.Status == TickClaimStatus.Claimed)
                {
                    LogClaimed(schedule, tick, missed, send);
                }

                schedule = schedule with { LastTick = claim.LastTick };
            }
        }

        return wakeAt;
    }

    private void LogClaimed(TaskSchedule schedule, DateTimeOffset tick, bool missed, bool sent)
    {
        if (!sent)
        {
            SchedulerLog.Skipped(_logger, schedule.Name, tick);
        }
        else if (missed)
        {
            SchedulerLog.CaughtUp(_logger, schedule.Name, tick, schedule.TaskIdFor(tick));
        }
        else
        {
            SchedulerLog.Fired(_logger, schedule.Name, tick, schedule.TaskIdFor(tick));
        }
    }

    /// <summary>The parsed expression, or null (logged once per version) when it cannot run here.</summary>
    private CronTimetable? Timetable(TaskSchedule schedule)
    {
        if (_timetables.TryGetValue((schedule.Cron, schedule.TimeZone), out var timetable))
        {
            return timetable;
        }

        try
        {
            timetable = CronTimetable.Parse(schedule.Cron, schedule.TimeZone);
        }
        catch (ArgumentException exception)
        {
            if (_reportedUnusable.Add((schedule.Name, schedule.Version)))
            {
                SchedulerLog.Unusable(_logger, exception, schedule.Name);
            }

            return null;
        }

        _timetables[(schedule.Cron, schedule.TimeZone)] = timetable;
        return timetable;
    }
}
