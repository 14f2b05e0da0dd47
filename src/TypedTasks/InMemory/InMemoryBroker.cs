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
    private readonly InMemoryMonitor _monitor;

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
        _monitor = new InMemoryMonitor(_state, _deadLetters);
    }

    /// <summary>The clock that decides when scheduled messages are due and when results expire.</summary>
    public TimeProvider TimeProvider => _state.TimeProvider;

    /// <inheritdoc />
    public ITaskResultStore Results => _results;

    /// <inheritdoc />
    public IDeadLetterStore DeadLetters => _deadLetters;

    /// <inheritdoc />
    public ITaskStatusStore Status => _status;

    /// <summary>Queues, workers (this broker's open consumers) and dead letters, as operators see them.</summary>
    public ITaskMonitor Monitor => _monitor;

    /// <summary>The state every view of this broker shares, and its single lock.</summary>
    internal InMemoryState State => _state;

    /// <summary>A client that sends to this broker and stamps messages with this broker's clock.</summary>
    public TaskClient CreateClient() => new(this, Array.Empty<ISendMiddleware>(), TimeProvider);

    /// <inheritdoc />
    public ValueTask SendAsync(TaskMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        cancellationToken.ThrowIfCancellationRequested();
        var accepted = Accept(message);
        lock (_state.Gate)
        {
            _state.ThrowIfDisposedLocked(this);
            _state.EnqueueLocked(accepted);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask SendManyAsync(IReadOnlyList<TaskMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        cancellationToken.ThrowIfCancellationRequested();

        // Every message is checked before any is stored: one invalid message refuses the whole batch, as on Redis.
        var accepted = new TaskMessage[messages.Count];
        for (var i = 0; i < accepted.Length; i++)
        {
            accepted[i] = Accept(messages[i] ?? throw new ArgumentException($"messages[{i}] is null.", nameof(messages)));
        }

        lock (_state.Gate)
        {
            _state.ThrowIfDisposedLocked(this);
            foreach (var message in accepted)
            {
                _state.EnqueueLocked(message);
            }
        }

        return ValueTask.CompletedTask;
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
    private static TaskMessage Accept(TaskMessage message)
    {
        message.Validate();
        return message with { Arguments = message.Arguments.ToArray() };
    }
}
