using System;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;

namespace TypedTasks;

/// <summary>
/// Lets an actor report progress: declare a <see cref="TaskProgress"/> parameter and the worker passes one in (it is
/// never serialized and not part of the stub's signature, like the <see cref="CancellationToken"/>). Callers read it
/// with <see cref="TaskHandle.GetProgressAsync"/> and wait for it with <see cref="TaskHandle.WaitForProgressAsync"/>.
/// </summary>
/// <remarks>
/// Reports are coalesced: at most one write is in flight per attempt and the latest report wins, so an actor may report
/// in a tight loop without flooding the store. Reporting never waits for the store and never throws because of it
/// (a failed write is logged by the worker and the next report tries again); the worker writes the latest report
/// before it records how the attempt ended.
/// </remarks>
public sealed class TaskProgress
{
    private readonly ITaskStatusStore? _store;
    private readonly TimeSpan _timeToLive;
    private readonly TimeProvider _time;
    private readonly Action<Exception>? _onWriteFailed;
    private readonly Lock _gate = new();
    private TaskProgressUpdate? _pending;
    private Task _pump = Task.CompletedTask;
    private bool _writing;

    private TaskProgress()
    {
        _time = TimeProvider.System;
    }

    /// <summary>Creates a reporter that writes to <paramref name="store"/> under <paramref name="taskId"/>; workers create
    /// one per attempt, tests may create their own.</summary>
    public TaskProgress(ITaskStatusStore store, string taskId, TimeSpan timeToLive, TimeProvider? timeProvider = null)
        : this(store, taskId, timeToLive, timeProvider, onWriteFailed: null)
    {
    }

    internal TaskProgress(ITaskStatusStore store, string taskId, TimeSpan timeToLive, TimeProvider? timeProvider, Action<Exception>? onWriteFailed)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrEmpty(taskId);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeToLive, TimeSpan.Zero);
        _store = store;
        TaskId = taskId;
        _timeToLive = timeToLive;
        _time = timeProvider ?? TimeProvider.System;
        _onWriteFailed = onWriteFailed;
    }

    /// <summary>A reporter that discards every report: for calling an actor directly (in a unit test, say).</summary>
    public static TaskProgress None { get; } = new();

    /// <summary>The task this reporter writes for; <see langword="null"/> for <see cref="None"/>.</summary>
    public string? TaskId { get; }

    /// <summary>Reports a percentage (0 to 100).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="percent"/> is not between 0 and 100.</exception>
    public ValueTask ReportAsync(double percent) => ReportAsync(percent, message: null);

    /// <summary>Reports a percentage (0 to 100) and a message.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="percent"/> is not between 0 and 100.</exception>
    public ValueTask ReportAsync(double percent, string? message)
    {
        CheckPercent(percent);
        return Enqueue(new TaskProgressUpdate(percent, message, ReadOnlyMemory<byte>.Empty, _time.GetUtcNow()));
    }

    /// <summary>Reports a typed value, serialized with source-generated metadata (read it with
    /// <see cref="TaskProgressInfo.GetValue{T}"/>).</summary>
    public ValueTask ReportAsync<T>(T value, JsonTypeInfo<T> typeInfo) => Report(null, null, value, typeInfo);

    /// <summary>Reports a percentage (0 to 100), a message and a typed value at once.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="percent"/> is not between 0 and 100.</exception>
    public ValueTask ReportAsync<T>(double percent, string? message, T value, JsonTypeInfo<T> typeInfo)
    {
        CheckPercent(percent);
        return Report(percent, message, value, typeInfo);
    }

    private ValueTask Report<T>(double? percent, string? message, T value, JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        if (_store is null)
        {
            return ValueTask.CompletedTask;
        }

        var json = JsonSerializer.SerializeToUtf8Bytes(value, typeInfo);
        return Enqueue(new TaskProgressUpdate(percent, message, json, _time.GetUtcNow()));
    }

    /// <summary>Completes when every report made so far is written (or its write failed).</summary>
    public Task FlushAsync()
    {
        lock (_gate)
        {
            return _pump;
        }
    }

    private static void CheckPercent(double percent)
    {
        if (!(percent >= 0 && percent <= 100))
        {
            throw new ArgumentOutOfRangeException(nameof(percent), percent, "A progress percentage is between 0 and 100.");
        }
    }

    private ValueTask Enqueue(TaskProgressUpdate update)
    {
        if (_store is null)
        {
            return ValueTask.CompletedTask;
        }

        lock (_gate)
        {
            _pending = update;
            if (_writing)
            {
                // The write in flight picks this one up when it finishes; reports in between are replaced.
                return ValueTask.CompletedTask;
            }

            _writing = true;
            _pump = PumpAsync();
        }

        return ValueTask.CompletedTask;
    }

    private async Task PumpAsync()
    {
        // Off the reporting thread: the actor continues while the write is in flight.
        await Task.Yield();
        while (true)
        {
            TaskProgressUpdate? next;
            lock (_gate)
            {
                next = _pending;
                _pending = null;
                if (next is null)
                {
                    _writing = false;
                    return;
                }
            }

            try
            {
                await _store!.ReportProgressAsync(TaskId!, next, _timeToLive).ConfigureAwait(false);
            }
            catch (Exception exception)
            {
                _onWriteFailed?.Invoke(exception);
            }
        }
    }
}
