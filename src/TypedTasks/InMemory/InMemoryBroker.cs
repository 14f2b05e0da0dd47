using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using TypedTasks.Brokers;
using TypedTasks.Monitoring;

namespace TypedTasks;

/// <summary>
/// A broker that lives in the process: for unit tests and zero-setup demos. Same contract as the Redis broker —
/// at-least-once delivery, scheduled messages, dead letters, results with expiry — without a server.
/// </summary>
/// <remarks>
/// <para>
/// Every queue is a FIFO of ready messages; messages due later wait in a set ordered by due time and become ready
/// when a timer from <see cref="TimeProvider"/> fires, so advancing a <c>FakeTimeProvider</c> releases them
/// deterministically. Consumers wait on signals, never poll. Deliveries stay pending per consumer until they are
/// acked, retried, dead-lettered or released; a released delivery goes back to the end of its queue (as on Redis),
/// and disposing a consumer hands whatever it still holds back to the front.
/// </para>
/// <para>
/// Tests usually send with a client from <see cref="CreateClient"/>, run the work with
/// <see cref="RunUntilIdleAsync(IActorRegistry, InMemoryRunOptions?, IServiceProvider?, CancellationToken)"/> and
/// then assert on outcomes, queues and dead letters.
/// </para>
/// </remarks>
public sealed partial class InMemoryBroker : ITaskBroker
{
    private readonly InMemoryState _state;
    private readonly InMemoryResultStore _results;
    private readonly InMemoryDeadLetterStore _deadLetters;
    private readonly InMemoryStatusStore _status;
    private readonly InMemoryScheduleStore _schedules;
    private readonly InMemoryMonitor _monitor;
    private readonly InMemoryWorkflowStore _workflows;

    /// <summary>Creates a broker on the system clock.</summary>
    public InMemoryBroker()
        : this(TimeProvider.System)
    {
    }

    /// <summary>Creates a broker on <paramref name="timeProvider"/> (due times and result expiry follow it).</summary>
    public InMemoryBroker(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        _state = new InMemoryState(timeProvider);
        _results = new InMemoryResultStore(_state);
        _deadLetters = new InMemoryDeadLetterStore(_state);
        _status = new InMemoryStatusStore(_state);
        _schedules = new InMemoryScheduleStore(_state);
        _monitor = new InMemoryMonitor(_state, _deadLetters);
        _workflows = new InMemoryWorkflowStore(_state);
    }

    /// <summary>The clock that decides when scheduled messages are due and when results expire.</summary>
    public TimeProvider TimeProvider => _state.TimeProvider;

    /// <inheritdoc />
    public ITaskResultStore Results => _results;

    /// <inheritdoc />
    public IDeadLetterStore DeadLetters => _deadLetters;

    /// <inheritdoc />
    public ITaskStatusStore Status => _status;

    /// <inheritdoc />
    /// <remarks>Schedules live in this broker's memory; a tick's claim and its message's enqueue happen under the
    /// broker's one lock. <see cref="RunUntilIdleAsync"/> runs no scheduler: a test fires ticks with a
    /// <see cref="PeriodicScheduler"/> on a fake clock.</remarks>
    public IScheduleStore Schedules => _schedules;

    /// <summary>Queues, workers (this broker's open consumers) and dead letters, as operators see them.</summary>
    public ITaskMonitor Monitor => _monitor;

    /// <summary>Workflows in this broker's memory (docs/workflows.md); <see cref="RunUntilIdleAsync"/> drives a whole
    /// workflow, since each step's worker enqueues what comes next before it settles the step.</summary>
    public IWorkflowStore Workflows => _workflows;

    /// <summary>The state every view of this broker shares, and its single lock.</summary>
    internal InMemoryState State => _state;

    /// <summary>A client that sends to this broker and stamps messages with this broker's clock.</summary>
    public TaskClient CreateClient() => new(this, Array.Empty<ISendMiddleware>(), TimeProvider);

    /// <inheritdoc />
    public ValueTask<string?> SendAsync(TaskMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        cancellationToken.ThrowIfCancellationRequested();
        var accepted = Accept(message);
        lock (_state.Gate)
        {
            _state.ThrowIfDisposedLocked(this);
            if (_state.GuardLocked(accepted) is { } existing)
            {
                return ValueTask.FromResult<string?>(existing);
            }

            _state.EnqueueLocked(AsStored(accepted));
        }

        return default;
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<string?>?> SendManyAsync(IReadOnlyList<TaskMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        cancellationToken.ThrowIfCancellationRequested();

        // Every message is checked before any is stored: one invalid message refuses the whole batch, as on Redis.
        var accepted = new TaskMessage[messages.Count];
        for (var i = 0; i < accepted.Length; i++)
        {
            accepted[i] = Accept(messages[i] ?? throw new ArgumentException($"messages[{i}] is null.", nameof(messages)));
        }

        string?[]? existing = null;
        lock (_state.Gate)
        {
            _state.ThrowIfDisposedLocked(this);
            for (var i = 0; i < accepted.Length; i++)
            {
                if (_state.GuardLocked(accepted[i]) is { } holder)
                {
                    (existing ??= new string?[accepted.Length])[i] = holder;
                    continue;
                }

                _state.EnqueueLocked(AsStored(accepted[i]));
            }
        }

        return ValueTask.FromResult<IReadOnlyList<string?>?>(existing);
    }

    /// <inheritdoc />
    /// <remarks>The outcome of a cancelled task is kept for <see cref="TaskCancellations.DefaultRetention"/>, and so is
    /// the cancellation itself: a consumer's worker skips the task when it reaches it.</remarks>
    public ValueTask<CancelResult> CancelAsync(string taskId, CancellationToken cancellationToken = default)
    {
        WireNames.ThrowIfInvalid(taskId, "task id", nameof(taskId));
        cancellationToken.ThrowIfCancellationRequested();
        var now = _state.TimeProvider.GetUtcNow();
        var cancelled = new TaskOutcome(false, ReadOnlyMemory<byte>.Empty, TaskError.ForCancellation(), now);
        List<TaskCompletionSource<TaskOutcome>>? waiters;
        lock (_state.Gate)
        {
            _state.ThrowIfDisposedLocked(this);
            if (_state.GetOutcomeLocked(taskId) is { } outcome)
            {
                return ValueTask.FromResult(outcome.Error?.Reason == DeadLetterReason.Cancelled ? CancelResult.AlreadyCancelled : CancelResult.AlreadyFinished);
            }

            waiters = _state.SetOutcomeLocked(taskId, cancelled, TaskCancellations.DefaultRetention);
        }

        if (waiters is not null)
        {
            foreach (var waiter in waiters)
            {
                waiter.TrySetResult(cancelled);
            }
        }

        // Outside the gate: the set's event cancels running attempts synchronously.
        _state.Cancellations.Add(taskId, now + TaskCancellations.DefaultRetention);
        return ValueTask.FromResult(CancelResult.Cancelled);
    }

    /// <inheritdoc />
    public ValueTask<ITaskConsumer> CreateConsumerAsync(ConsumerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Queues is null || options.Queues.Count == 0)
        {
            throw new ArgumentException("A consumer needs at least one queue.", nameof(options));
        }

        var queues = new string[options.Queues.Count];
        for (var i = 0; i < queues.Length; i++)
        {
            queues[i] = options.Queues[i];
        }

        var consumer = new InMemoryConsumer(_state, queues, options.ConsumerName ?? "in-memory-" + _state.NextId(), options.RunningCount);
        lock (_state.Gate)
        {
            _state.ThrowIfDisposedLocked(this);
            _state.AddConsumerLocked(consumer);
        }

        return ValueTask.FromResult<ITaskConsumer>(consumer);
    }

    /// <summary>How many messages of <paramref name="queue"/> are ready to be received (not scheduled, not in flight).</summary>
    public int GetQueueLength(string queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        lock (_state.Gate)
        {
            return _state.ReadyCountLocked(queue);
        }
    }

    /// <summary>The ready messages of <paramref name="queue"/>, in the order they will be received.</summary>
    public IReadOnlyList<TaskMessage> GetReadyMessages(string queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        lock (_state.Gate)
        {
            return _state.ReadyMessagesLocked(queue);
        }
    }

    /// <summary>How many messages (all queues) wait for their due time: delayed sends and scheduled retries.</summary>
    public int GetScheduledCount()
    {
        lock (_state.Gate)
        {
            return _state.ScheduledCountLocked;
        }
    }

    /// <summary>The messages waiting for their due time, earliest first.</summary>
    public IReadOnlyList<TaskMessage> GetScheduledMessages()
    {
        lock (_state.Gate)
        {
            return _state.ScheduledMessagesLocked();
        }
    }

    /// <summary>How many deliveries (all queues) are held by consumers and not yet settled.</summary>
    public int GetInFlightCount()
    {
        lock (_state.Gate)
        {
            return _state.InFlightCountLocked();
        }
    }

    /// <summary>The dead letters of <paramref name="queue"/>, oldest first.</summary>
    public IReadOnlyList<DeadLetter> GetDeadLetters(string queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        lock (_state.Gate)
        {
            return _state.DeadLettersLocked(queue);
        }
    }

    /// <summary>The dead letters of every queue, in the order they were dead-lettered.</summary>
    public IReadOnlyList<DeadLetter> GetDeadLetters()
    {
        lock (_state.Gate)
        {
            return _state.DeadLettersLocked(queue: null);
        }
    }

    /// <summary>Makes every scheduled message ready now, whatever its due time; returns how many.</summary>
    public int MakeScheduledDue()
    {
        lock (_state.Gate)
        {
            return _state.MakeScheduledDueLocked(queues: null);
        }
    }

    /// <summary>Stops the due-time timer and wakes waiting consumers, which then fail with <see cref="ObjectDisposedException"/>.</summary>
    public ValueTask DisposeAsync()
    {
        _state.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Checks the envelope and copies the arguments, which the caller may reuse. The client resolved every field
    /// already (TaskRequest.ToMessage): this broker stores what it is given, as Redis does.
    /// </summary>
    /// <summary>What Redis would hand back: the send-time-only fields dropped, the unique key kept only when a worker
    /// must release it.</summary>
    private static TaskMessage AsStored(TaskMessage message) =>
        message.ExplicitId || message.UniqueFor is not null
            ? message with { ExplicitId = false, UniqueKey = message.ReleasesUniqueKey ? message.UniqueKey : null, UniqueFor = null }
            : message;

    private static TaskMessage Accept(TaskMessage message)
    {
        message.Validate();
        return message with { Arguments = message.Arguments.ToArray() };
    }
}
