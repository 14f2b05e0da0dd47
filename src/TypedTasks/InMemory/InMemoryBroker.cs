using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using TypedTasks.Brokers;

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
/// acked, retried, dead-lettered or released; a released delivery goes back to the front of its queue, and
/// disposing a consumer releases whatever it still holds.
/// </para>
/// <para>
/// Tests usually send with a client from <see cref="CreateClient"/>, run the work with
/// <see cref="RunUntilIdleAsync(IActorRegistry, InMemoryRunOptions?, IServiceProvider?, CancellationToken)"/> and
/// then assert on outcomes, queues and dead letters.
/// </para>
/// </remarks>
public sealed partial class InMemoryBroker : ITaskBroker
{
    private readonly object _gate = new();
    private readonly Dictionary<string, LinkedList<StoredMessage>> _ready = new(StringComparer.Ordinal);
    private readonly PriorityQueue<StoredMessage, (long DueTicks, long Sequence)> _scheduled = new();
    private readonly Dictionary<string, int> _inFlightByQueue = new(StringComparer.Ordinal);
    private readonly HashSet<InMemoryConsumer> _consumers = [];
    private readonly AsyncSignal _messagesReady = new();
    private readonly AsyncSignal _stateChanged = new();
    private readonly InMemoryResultStore _results;
    private readonly InMemoryDeadLetterStore _deadLetters;
    private readonly ITimer _dueTimer;
    private long _sequence;
    private bool _disposed;

    /// <summary>Creates a broker on the system clock.</summary>
    public InMemoryBroker()
        : this(TimeProvider.System)
    {
    }

    /// <summary>Creates a broker on <paramref name="timeProvider"/> (due times and result expiry follow it).</summary>
    public InMemoryBroker(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        TimeProvider = timeProvider;
        _results = new InMemoryResultStore(timeProvider);
        _deadLetters = new InMemoryDeadLetterStore(this);
        _dueTimer = timeProvider.CreateTimer(static state => ((InMemoryBroker)state!).OnDueTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The clock that decides when scheduled messages are due and when results expire.</summary>
    public TimeProvider TimeProvider { get; }

    /// <inheritdoc />
    public ITaskResultStore Results => _results;

    internal InMemoryResultStore ResultStore => _results;

    /// <inheritdoc />
    public IDeadLetterStore DeadLetters => _deadLetters;

    internal object Gate => _gate;

    /// <summary>A client that sends to this broker and stamps messages with this broker's clock.</summary>
    public TaskClient CreateClient() => new(this, Array.Empty<ISendMiddleware>(), TimeProvider);

    /// <inheritdoc />
    public ValueTask SendAsync(TaskMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            ThrowIfDisposed();
            EnqueueLocked(Accept(message));
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask SendManyAsync(IReadOnlyList<TaskMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        cancellationToken.ThrowIfCancellationRequested();
        var accepted = new TaskMessage[messages.Count];
        for (var i = 0; i < accepted.Length; i++)
        {
            accepted[i] = Accept(messages[i] ?? throw new ArgumentException($"messages[{i}] is null.", nameof(messages)));
        }

        lock (_gate)
        {
            ThrowIfDisposed();
            foreach (var message in accepted)
            {
                EnqueueLocked(message);
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

        lock (_gate)
        {
            ThrowIfDisposed();
            var consumer = new InMemoryConsumer(this, queues, options.ConsumerName ?? "in-memory-" + NextId());
            _consumers.Add(consumer);
            return ValueTask.FromResult<ITaskConsumer>(consumer);
        }
    }

    /// <summary>How many messages of <paramref name="queue"/> are ready to be received (not scheduled, not in flight).</summary>
    public int GetQueueLength(string queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        lock (_gate)
        {
            return _ready.TryGetValue(queue, out var ready) ? ready.Count : 0;
        }
    }

    /// <summary>The ready messages of <paramref name="queue"/>, in the order they will be received.</summary>
    public IReadOnlyList<TaskMessage> GetReadyMessages(string queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        lock (_gate)
        {
            var messages = new List<TaskMessage>();
            if (_ready.TryGetValue(queue, out var ready))
            {
                foreach (var stored in ready)
                {
                    messages.Add(stored.Message);
                }
            }

            return messages;
        }
    }

    /// <summary>How many messages (all queues) wait for their due time: delayed sends and scheduled retries.</summary>
    public int GetScheduledCount()
    {
        lock (_gate)
        {
            return _scheduled.Count;
        }
    }

    /// <summary>The messages waiting for their due time, earliest first.</summary>
    public IReadOnlyList<TaskMessage> GetScheduledMessages()
    {
        lock (_gate)
        {
            var ordered = new List<(StoredMessage Stored, (long DueTicks, long Sequence) Order)>(_scheduled.UnorderedItems);
            ordered.Sort(static (a, b) => a.Order.CompareTo(b.Order));
            var messages = new List<TaskMessage>(ordered.Count);
            foreach (var (stored, _) in ordered)
            {
                messages.Add(stored.Message);
            }

            return messages;
        }
    }

    /// <summary>How many deliveries (all queues) are held by consumers and not yet settled.</summary>
    public int GetInFlightCount()
    {
        lock (_gate)
        {
            var count = 0;
            foreach (var inFlight in _inFlightByQueue.Values)
            {
                count += inFlight;
            }

            return count;
        }
    }

    /// <summary>The dead letters of <paramref name="queue"/>, oldest first.</summary>
    public IReadOnlyList<DeadLetter> GetDeadLetters(string queue)
    {
        ArgumentNullException.ThrowIfNull(queue);
        lock (_gate)
        {
            return _deadLetters.SnapshotLocked(queue);
        }
    }

    /// <summary>The dead letters of every queue, in the order they were dead-lettered.</summary>
    public IReadOnlyList<DeadLetter> GetDeadLetters()
    {
        lock (_gate)
        {
            return _deadLetters.SnapshotLocked(queue: null);
        }
    }

    /// <summary>Makes every scheduled message ready now, whatever its due time; returns how many.</summary>
    public int MakeScheduledDue()
    {
        lock (_gate)
        {
            var count = _scheduled.Count;
            while (_scheduled.TryDequeue(out var stored, out _))
            {
                AppendReadyLocked(stored);
            }

            RescheduleTimerLocked();
            SignalLocked(messagesReady: count > 0);
            return count;
        }
    }

    /// <summary>Stops the due-time timer and wakes waiting consumers, which then fail with <see cref="ObjectDisposedException"/>.</summary>
    public ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return ValueTask.CompletedTask;
            }

            _disposed = true;
            SignalLocked(messagesReady: true);
        }

        _dueTimer.Dispose();
        return ValueTask.CompletedTask;
    }

    internal bool IsDisposed => _disposed;

    internal Task MessagesReadySignal => _messagesReady.NextPulse;

    internal Task StateChangedSignal => _stateChanged.NextPulse;

    internal string NextId() => Interlocked.Increment(ref _sequence).ToString(CultureInfo.InvariantCulture);

    /// <summary>Puts a message into its queue, or among the scheduled ones when it is due later. Caller holds the gate.</summary>
    internal void EnqueueLocked(TaskMessage message)
    {
        var stored = new StoredMessage(message, NextId());
        var now = TimeProvider.GetUtcNow();
        if (message.DueAt is { } dueAt && dueAt > now)
        {
            _scheduled.Enqueue(stored, (dueAt.UtcTicks, _sequence));
            RescheduleTimerLocked();
            SignalLocked(messagesReady: false);
        }
        else
        {
            AppendReadyLocked(stored);
            SignalLocked(messagesReady: true);
        }
    }

    /// <summary>Hands out up to <paramref name="buffer"/>'s length of ready messages, preferring earlier queues.</summary>
    internal int TakeReadyLocked(string[] queues, Span<TaskDelivery> buffer, Dictionary<string, StoredMessage> pending)
    {
        var taken = 0;
        foreach (var queue in queues)
        {
            if (!_ready.TryGetValue(queue, out var ready))
            {
                continue;
            }

            while (taken < buffer.Length && ready.First is { } first)
            {
                ready.RemoveFirst();
                var stored = first.Value;
                stored.DeliveryCount++;
                pending.Add(stored.EntryId, stored);
                ChangeInFlightLocked(stored.Message.Queue, +1);
                buffer[taken++] = new TaskDelivery(stored.Message, stored.EntryId, stored.DeliveryCount);
            }

            if (taken == buffer.Length)
            {
                break;
            }
        }

        if (taken > 0)
        {
            _stateChanged.Pulse();
        }

        return taken;
    }

    /// <summary>A pending delivery was settled (acked, retried, dead-lettered or released). Caller holds the gate.</summary>
    internal void SettledLocked(StoredMessage stored)
    {
        ChangeInFlightLocked(stored.Message.Queue, -1);
        SignalLocked(messagesReady: false);
    }

    /// <summary>Puts a released delivery back at the front of its queue, keeping its delivery count. Caller holds the gate.</summary>
    internal void ReturnToFrontLocked(StoredMessage stored)
    {
        ChangeInFlightLocked(stored.Message.Queue, -1);
        ReadyQueueLocked(stored.Message.Queue).AddFirst(stored);
        SignalLocked(messagesReady: true);
    }

    /// <summary>Stores a dead letter. Caller holds the gate.</summary>
    internal void AddDeadLetterLocked(TaskMessage message, TaskError error) =>
        _deadLetters.AddLocked(message, error, TimeProvider.GetUtcNow());

    internal void ConsumerClosedLocked(InMemoryConsumer consumer) => _consumers.Remove(consumer);

    /// <summary>Whether nothing is ready, in flight or (optionally) scheduled on <paramref name="queues"/>.</summary>
    internal bool IsIdleLocked(IReadOnlyList<string> queues, bool includeScheduled)
    {
        foreach (var queue in queues)
        {
            if ((_ready.TryGetValue(queue, out var ready) && ready.Count > 0)
                || (_inFlightByQueue.TryGetValue(queue, out var inFlight) && inFlight > 0))
            {
                return false;
            }
        }

        if (includeScheduled)
        {
            foreach (var (stored, _) in _scheduled.UnorderedItems)
            {
                foreach (var queue in queues)
                {
                    if (string.Equals(stored.Message.Queue, queue, StringComparison.Ordinal))
                    {
                        return false;
                    }
                }
            }
        }

        return true;
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    /// <summary>
    /// Copies the arguments (a sender may reuse its buffer) and resolves what a client normally stamps, so messages
    /// sent straight to the broker behave the same.
    /// </summary>
    private TaskMessage Accept(TaskMessage message)
    {
        // The client resolved every time already (TaskRequest.ToMessage): this broker stores what it is given, as
        // Redis does, and only copies the arguments, which the caller may reuse.
        message.Validate();
        return message with { Arguments = message.Arguments.ToArray() };
    }

    private void OnDueTimer()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            var nowTicks = TimeProvider.GetUtcNow().UtcTicks;
            var promoted = false;
            while (_scheduled.TryPeek(out var stored, out var order) && order.DueTicks <= nowTicks)
            {
                _scheduled.Dequeue();
                AppendReadyLocked(stored);
                promoted = true;
            }

            RescheduleTimerLocked();
            if (promoted)
            {
                SignalLocked(messagesReady: true);
            }
        }
    }

    /// <summary>Arms the single due-time timer for the earliest scheduled message (one timer, however many messages).</summary>
    private void RescheduleTimerLocked()
    {
        if (_disposed)
        {
            return;
        }

        if (!_scheduled.TryPeek(out _, out var earliest))
        {
            _dueTimer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }

        var dueIn = TimeSpan.FromTicks(Math.Max(0, earliest.DueTicks - TimeProvider.GetUtcNow().UtcTicks));
        _dueTimer.Change(dueIn, Timeout.InfiniteTimeSpan);
    }

    private void AppendReadyLocked(StoredMessage stored) => ReadyQueueLocked(stored.Message.Queue).AddLast(stored);

    private LinkedList<StoredMessage> ReadyQueueLocked(string queue)
    {
        if (!_ready.TryGetValue(queue, out var ready))
        {
            ready = new LinkedList<StoredMessage>();
            _ready.Add(queue, ready);
        }

        return ready;
    }

    private void ChangeInFlightLocked(string queue, int delta)
    {
        _inFlightByQueue.TryGetValue(queue, out var count);
        _inFlightByQueue[queue] = count + delta;
    }

    private void SignalLocked(bool messagesReady)
    {
        if (messagesReady)
        {
            _messagesReady.Pulse();
        }

        _stateChanged.Pulse();
    }
}
