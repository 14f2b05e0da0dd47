using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using TypedTasks.Brokers;

namespace TypedTasks;

/// <summary>
/// Everything an <see cref="InMemoryBroker"/> holds — ready queues, scheduled messages, deliveries in flight, dead
/// letters and outcomes — behind one lock. The broker, its consumers, its dead-letter store and its result store are
/// views on this object and take no lock of their own, so a step that touches several of them (settling a delivery into
/// a dead letter, requeueing a dead letter and forgetting its stale outcome) is atomic by construction.
/// </summary>
/// <remarks>
/// Members named <c>*Locked</c> expect the caller to hold <see cref="Gate"/>; every other member takes it. Two signals
/// replace polling: <see cref="MessagesReady"/> wakes receiving consumers, <see cref="StateChanged"/> wakes anything
/// that inspects the state (the run-until-idle harness, test waits). Waiters take a signal's task under the gate, so a
/// change after their check can never be missed.
/// </remarks>
internal sealed partial class InMemoryState
{
    private readonly Dictionary<string, LinkedList<StoredMessage>> _ready = new(StringComparer.Ordinal);
    private readonly PriorityQueue<StoredMessage, (long DueTicks, long Sequence)> _scheduled = new();
    private readonly Dictionary<string, int> _inFlightByQueue = new(StringComparer.Ordinal);

    // One list in dead-letter order; per-queue views filter it (dead letters are few, and tests read them whole).
    private readonly List<DeadLetter> _deadLetters = [];

    private readonly Dictionary<string, (TaskOutcome Outcome, DateTimeOffset ExpiresAt)> _outcomes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<TaskCompletionSource<TaskOutcome>>> _outcomeWaiters = new(StringComparer.Ordinal);

    // Expiry order of stored outcomes, so each write also evicts what has expired: a long-running demo or test host
    // does not accumulate outcomes nobody reads. An entry overwritten later is recognised by its expiry time.
    private readonly PriorityQueue<string, DateTimeOffset> _expiryOrder = new();

    // Sender-chosen ids and unique keys per queue ("id:" / "uq:" + value), with the task that holds them.
    private readonly Dictionary<(string Queue, string Guard), (string TaskId, DateTimeOffset ExpiresAt)> _guards = new();

    // Open consumers, for monitoring (the "workers" of an in-memory broker).
    private readonly List<InMemoryConsumer> _consumers = [];

    private readonly AsyncSignal _messagesReady = new();
    private readonly AsyncSignal _stateChanged = new();
    private readonly ITimer _dueTimer;
    private long _sequence;

    public InMemoryState(TimeProvider timeProvider)
    {
        TimeProvider = timeProvider;
        Cancellations = new TaskCancellations(timeProvider);
        _dueTimer = timeProvider.CreateTimer(static state => ((InMemoryState)state!).OnDueTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <summary>The tasks cancelled on this broker, shared by its consumers (it has its own lock: raising its event
    /// must happen outside <see cref="Gate"/>).</summary>
    public TaskCancellations Cancellations { get; }

    /// <summary>The single lock of the in-memory broker.</summary>
    public object Gate { get; } = new();

    /// <summary>Decides when scheduled messages are due and when outcomes expire.</summary>
    public TimeProvider TimeProvider { get; }

    public bool IsDisposedLocked { get; private set; }

    /// <summary>Completes at the next enqueue, promotion or release (and at dispose). Take it under <see cref="Gate"/>.</summary>
    public Task MessagesReady => _messagesReady.NextPulse;

    /// <summary>Completes at the next change of any queue, scheduled set or in-flight count. Take it under <see cref="Gate"/>.</summary>
    public Task StateChanged => _stateChanged.NextPulse;

    public string NextId() => Interlocked.Increment(ref _sequence).ToString(CultureInfo.InvariantCulture);

    public void ThrowIfDisposedLocked(object owner) => ObjectDisposedException.ThrowIf(IsDisposedLocked, owner);

    /// <summary>Marks the state disposed, wakes waiting consumers (they then throw) and stops the due timer.</summary>
    public void Dispose()
    {
        lock (Gate)
        {
            if (IsDisposedLocked)
            {
                return;
            }

            IsDisposedLocked = true;
            SignalLocked(messagesReady: true);
        }

        _dueTimer.Dispose();
    }

    // ---- Queues -------------------------------------------------------------------------------------------------

    /// <summary>Puts a message into its queue, or among the scheduled ones when it is due later.</summary>
    public void EnqueueLocked(TaskMessage message)
    {
        var stored = new StoredMessage(message, NextId());
        if (message.DueAt is { } dueAt && dueAt > TimeProvider.GetUtcNow())
        {
            ReadyQueueLocked(message.Queue); // The queue is known (monitoring) from its first message on.
            _scheduled.Enqueue(stored, (dueAt.UtcTicks, Interlocked.Read(ref _sequence)));
            RescheduleTimerLocked();
            SignalLocked(messagesReady: false);
        }
        else
        {
            ReadyQueueLocked(message.Queue).AddLast(stored);
            SignalLocked(messagesReady: true);
        }
    }

    /// <summary>Hands out up to <paramref name="buffer"/>'s length of ready messages, preferring earlier queues, and
    /// records them as pending on the receiving consumer.</summary>
    public int TakeReadyLocked(string[] queues, Span<TaskDelivery> buffer, Dictionary<string, StoredMessage> pending)
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

    /// <summary>A pending delivery was acked, retried or dead-lettered.</summary>
    public void SettledLocked(StoredMessage stored)
    {
        ChangeInFlightLocked(stored.Message.Queue, -1);
        SignalLocked(messagesReady: false);
    }

    /// <summary>Puts a released delivery back at the end of its queue, keeping its delivery count: a Redis stream
    /// only appends, and the brokers behave alike (the contract suite checks it).</summary>
    public void ReleaseLocked(StoredMessage stored)
    {
        ChangeInFlightLocked(stored.Message.Queue, -1);
        stored.ReadyAgainAt = TimeProvider.GetUtcNow();
        ReadyQueueLocked(stored.Message.Queue).AddLast(stored);
        SignalLocked(messagesReady: true);
    }

    /// <summary>Puts a delivery a closed consumer still held back at the front of its queue, keeping its delivery count:
    /// like a crashed worker's deliveries, which the next consumer recovers before reading new ones.</summary>
    public void ReturnToFrontLocked(StoredMessage stored)
    {
        ChangeInFlightLocked(stored.Message.Queue, -1);
        stored.ReadyAgainAt = TimeProvider.GetUtcNow();
        ReadyQueueLocked(stored.Message.Queue).AddFirst(stored);
        SignalLocked(messagesReady: true);
    }

    /// <summary>Makes the scheduled messages of <paramref name="queues"/> (every queue when <see langword="null"/>)
    /// ready now, whatever their due time; returns how many.</summary>
    public int MakeScheduledDueLocked(IReadOnlyList<string>? queues)
    {
        if (_scheduled.Count == 0)
        {
            return 0;
        }

        var keep = new List<(StoredMessage, (long, long))>();
        var promoted = 0;
        while (_scheduled.TryDequeue(out var stored, out var order))
        {
            if (queues is null || Contains(queues, stored.Message.Queue))
            {
                ReadyQueueLocked(stored.Message.Queue).AddLast(stored);
                promoted++;
            }
            else
            {
                keep.Add((stored, order));
            }
        }

        _scheduled.EnqueueRange(keep);
        RescheduleTimerLocked();
        if (promoted > 0)
        {
            SignalLocked(messagesReady: true);
        }

        return promoted;
    }

    public int ReadyCountLocked(string queue) => _ready.TryGetValue(queue, out var ready) ? ready.Count : 0;

    public List<TaskMessage> ReadyMessagesLocked(string queue)
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

    public int ScheduledCountLocked => _scheduled.Count;

    public List<TaskMessage> ScheduledMessagesLocked()
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

    public int InFlightCountLocked()
    {
        var count = 0;
        foreach (var inFlight in _inFlightByQueue.Values)
        {
            count += inFlight;
        }

        return count;
    }

    /// <summary>Whether nothing is ready, in flight or (optionally) scheduled on <paramref name="queues"/>.</summary>
    public bool IsIdleLocked(IReadOnlyList<string> queues, bool includeScheduled)
    {
        foreach (var queue in queues)
        {
            if (ReadyCountLocked(queue) > 0 || (_inFlightByQueue.TryGetValue(queue, out var inFlight) && inFlight > 0))
            {
                return false;
            }
        }

        if (includeScheduled)
        {
            foreach (var (stored, _) in _scheduled.UnorderedItems)
            {
                if (Contains(queues, stored.Message.Queue))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>What keeps <paramref name="queues"/> busy, for a timeout message.</summary>
    public string DescribePending(IReadOnlyList<string> queues)
    {
        var text = new StringBuilder();
        lock (Gate)
        {
            foreach (var queue in queues)
            {
                _inFlightByQueue.TryGetValue(queue, out var inFlight);
                text.Append(CultureInfo.InvariantCulture, $" queue '{queue}': {ReadyCountLocked(queue)} ready, {inFlight} running;");
            }

            text.Append(CultureInfo.InvariantCulture, $" {_scheduled.Count} scheduled.");
        }

        return text.ToString();
    }

    // ---- Dead letters -------------------------------------------------------------------------------------------

    public void AddDeadLetterLocked(TaskMessage message, TaskError error) =>
        _deadLetters.Add(new DeadLetter(NextId(), message.Queue, message, RawFields: null, error, TimeProvider.GetUtcNow()));

    public List<DeadLetter> DeadLettersLocked(string? queue, int count = int.MaxValue)
    {
        var result = new List<DeadLetter>();
        foreach (var deadLetter in _deadLetters)
        {
            if (result.Count == count)
            {
                break;
            }

            if (queue is null || string.Equals(deadLetter.Queue, queue, StringComparison.Ordinal))
            {
                result.Add(deadLetter);
            }
        }

        return result;
    }

    /// <summary>Takes a dead letter out and enqueues its message as a fresh first attempt; forgets the failed outcome
    /// of the dead-lettered run, which would otherwise answer a caller waiting on the new run.</summary>
    public bool RequeueDeadLetterLocked(string queue, string deadLetterId)
    {
        var index = IndexOfDeadLetterLocked(queue, deadLetterId);
        if (index < 0 || _deadLetters[index].Message is not { } message)
        {
            return false;
        }

        _deadLetters.RemoveAt(index);
        _outcomes.Remove(message.Id);
        ForgetStatusLocked(message.Id);

        // A new enqueue time, or the age limit would expire it again at once.
        EnqueueLocked(message with { Attempt = 1, DueAt = null, EnqueuedAt = TimeProvider.GetUtcNow() });
        return true;
    }

    private int IndexOfDeadLetterLocked(string queue, string deadLetterId) =>
        _deadLetters.FindIndex(d => string.Equals(d.Queue, queue, StringComparison.Ordinal) && string.Equals(d.Id, deadLetterId, StringComparison.Ordinal));

    private static long IdNumber(string id) => long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : long.MaxValue;

    public long PurgeDeadLettersLocked(string queue) =>
        _deadLetters.RemoveAll(d => string.Equals(d.Queue, queue, StringComparison.Ordinal));

    // ---- Duplicates -----------------------------------------------------------------------------------------------

    /// <summary>
    /// The duplicate check of a send: the id of the task that already has this message's chosen id or holds its unique
    /// key, or <see langword="null"/> after recording both guards for this message (the caller then enqueues it).
    /// </summary>
    public string? GuardLocked(TaskMessage message)
    {
        if (!message.ExplicitId && message.UniqueKey is null)
        {
            return null;
        }

        var now = TimeProvider.GetUtcNow();
        (string, string) idGuard = (message.Queue, "id:" + message.Id);
        (string, string) uniqueGuard = (message.Queue, "uq:" + message.UniqueKey);
        if (message.ExplicitId && HolderLocked(idGuard, now) is { } sameId)
        {
            return sameId;
        }

        if (message.UniqueKey is not null && HolderLocked(uniqueGuard, now) is { } holder)
        {
            return holder;
        }

        var (idFor, uniqueFor) = message.GuardLifetimes(now);
        if (message.ExplicitId)
        {
            _guards[idGuard] = (message.Id, now + idFor);
        }

        if (message.UniqueKey is not null)
        {
            _guards[uniqueGuard] = (message.Id, now + uniqueFor);
        }

        return null;
    }

    /// <summary>Releases the unique key of a task settled for good, if the task still holds it.</summary>
    public void ReleaseUniqueKeyLocked(TaskMessage message)
    {
        if (!message.ReleasesUniqueKey)
        {
            return;
        }

        var guard = (message.Queue, "uq:" + message.UniqueKey);
        if (_guards.TryGetValue(guard, out var holder) && string.Equals(holder.TaskId, message.Id, StringComparison.Ordinal))
        {
            _guards.Remove(guard);
        }
    }

    private string? HolderLocked((string, string) guard, DateTimeOffset now)
    {
        if (!_guards.TryGetValue(guard, out var holder))
        {
            return null;
        }

        if (holder.ExpiresAt <= now)
        {
            _guards.Remove(guard);
            return null;
        }

        return holder.TaskId;
    }

    /// <summary>One page of a queue's dead letters (ids are increasing numbers, so "after" compares numerically).</summary>
    public DeadLetterPage DeadLetterPageLocked(string queue, long after, int count, DeadLetterFilter? filter)
    {
        var items = new List<DeadLetter>();
        string? next = null;
        foreach (var deadLetter in _deadLetters)
        {
            if (!string.Equals(deadLetter.Queue, queue, StringComparison.Ordinal) || IdNumber(deadLetter.Id) <= after
                || (filter is not null && !filter.Matches(deadLetter)))
            {
                continue;
            }

            if (items.Count == count)
            {
                // There is at least one more: the page ends at its last item.
                next = items[^1].Id;
                break;
            }

            items.Add(deadLetter);
        }

        return new DeadLetterPage { Items = items, Next = next };
    }

    public DeadLetter? FindDeadLetterLocked(string queue, string deadLetterId)
    {
        var index = IndexOfDeadLetterLocked(queue, deadLetterId);
        return index < 0 ? null : _deadLetters[index];
    }

    public bool DeleteDeadLetterLocked(string queue, string deadLetterId)
    {
        var index = IndexOfDeadLetterLocked(queue, deadLetterId);
        if (index < 0)
        {
            return false;
        }

        _deadLetters.RemoveAt(index);
        return true;
    }

    /// <summary>Requeues every matching dead letter that holds a message; returns how many.</summary>
    public long RequeueDeadLettersLocked(string queue, DeadLetterFilter filter)
    {
        var requeued = 0L;
        foreach (var deadLetter in DeadLettersLocked(queue))
        {
            if (deadLetter.Message is not null && filter.Matches(deadLetter) && RequeueDeadLetterLocked(queue, deadLetter.Id))
            {
                requeued++;
            }
        }

        return requeued;
    }

    public long PurgeDeadLettersLocked(string queue, DeadLetterFilter filter) =>
        _deadLetters.RemoveAll(d => string.Equals(d.Queue, queue, StringComparison.Ordinal) && filter.Matches(d));

    // ---- Monitoring ---------------------------------------------------------------------------------------------

    public void AddConsumerLocked(InMemoryConsumer consumer)
    {
        foreach (var queue in consumer.Queues)
        {
            ReadyQueueLocked(queue); // Known from its first consumer on, as on Redis.
        }

        _consumers.Add(consumer);
    }

    public void RemoveConsumerLocked(InMemoryConsumer consumer) => _consumers.Remove(consumer);

    public List<InMemoryConsumer> ConsumersLocked() => [.. _consumers];

    /// <summary>Every queue a message was sent to or a consumer read, in ordinal order.</summary>
    public List<string> QueueNamesLocked()
    {
        var names = new List<string>(_ready.Keys);
        names.Sort(StringComparer.Ordinal);
        return names;
    }

    public bool IsKnownQueueLocked(string queue) => _ready.ContainsKey(queue);

    public Monitoring.QueueInfo QueueInfoLocked(string queue)
    {
        var now = TimeProvider.GetUtcNow();
        long scheduled = 0, scheduledDue = 0;
        foreach (var (stored, order) in _scheduled.UnorderedItems)
        {
            if (string.Equals(stored.Message.Queue, queue, StringComparison.Ordinal))
            {
                scheduled++;
                if (order.DueTicks <= now.UtcTicks)
                {
                    scheduledDue++;
                }
            }
        }

        TimeSpan? oldest = null;
        if (_ready.TryGetValue(queue, out var ready))
        {
            foreach (var stored in ready)
            {
                var age = now - stored.ReadySince;
                if (oldest is null || age > oldest)
                {
                    oldest = age;
                }
            }
        }

        var consumers = 0;
        foreach (var consumer in _consumers)
        {
            if (Contains(consumer.Queues, queue))
            {
                consumers++;
            }
        }

        var deadLetters = 0L;
        foreach (var deadLetter in _deadLetters)
        {
            if (string.Equals(deadLetter.Queue, queue, StringComparison.Ordinal))
            {
                deadLetters++;
            }
        }

        _inFlightByQueue.TryGetValue(queue, out var inFlight);
        return new Monitoring.QueueInfo
        {
            Name = queue,
            Waiting = ready?.Count ?? 0,
            Scheduled = scheduled,
            ScheduledDue = scheduledDue,
            InFlight = inFlight,
            DeadLetters = deadLetters,
            Consumers = consumers,
            OldestWaitingAge = oldest is { } o && o < TimeSpan.Zero ? TimeSpan.Zero : oldest,
            CapturedAt = now,
        };
    }

    /// <summary>Removes the ready and scheduled messages of <paramref name="queue"/>; in-flight deliveries stay.</summary>
    public Monitoring.QueuePurgeResult PurgeQueueLocked(string queue)
    {
        var waiting = 0L;
        if (_ready.TryGetValue(queue, out var ready))
        {
            waiting = ready.Count;
            ready.Clear();
        }

        var scheduled = 0L;
        if (_scheduled.Count > 0)
        {
            var keep = new List<(StoredMessage, (long, long))>(_scheduled.Count);
            while (_scheduled.TryDequeue(out var stored, out var order))
            {
                if (string.Equals(stored.Message.Queue, queue, StringComparison.Ordinal))
                {
                    scheduled++;
                }
                else
                {
                    keep.Add((stored, order));
                }
            }

            _scheduled.EnqueueRange(keep);
            RescheduleTimerLocked();
        }

        SignalLocked(messagesReady: false);
        return new Monitoring.QueuePurgeResult { Waiting = waiting, Scheduled = scheduled };
    }

    // ---- Outcomes -----------------------------------------------------------------------------------------------

    /// <summary>Stores an outcome and returns the waiters to complete once the gate is released.</summary>
    public List<TaskCompletionSource<TaskOutcome>>? SetOutcomeLocked(string taskId, TaskOutcome outcome, TimeSpan timeToLive)
    {
        var now = TimeProvider.GetUtcNow();
        EvictExpiredLocked(now);
        var expiresAt = now + timeToLive;
        _outcomes[taskId] = (outcome, expiresAt);
        _expiryOrder.Enqueue(taskId, expiresAt);
        _outcomeWaiters.Remove(taskId, out var waiters);
        return waiters;
    }

    public TaskOutcome? GetOutcomeLocked(string taskId)
    {
        if (!_outcomes.TryGetValue(taskId, out var entry))
        {
            return null;
        }

        if (TimeProvider.GetUtcNow() >= entry.ExpiresAt)
        {
            _outcomes.Remove(taskId);
            return null;
        }

        return entry.Outcome;
    }

    public void AddOutcomeWaiterLocked(string taskId, TaskCompletionSource<TaskOutcome> waiter)
    {
        if (!_outcomeWaiters.TryGetValue(taskId, out var waiters))
        {
            waiters = [];
            _outcomeWaiters.Add(taskId, waiters);
        }

        waiters.Add(waiter);
    }

    public void RemoveOutcomeWaiterLocked(string taskId, TaskCompletionSource<TaskOutcome> waiter)
    {
        if (_outcomeWaiters.TryGetValue(taskId, out var waiters) && waiters.Remove(waiter) && waiters.Count == 0)
        {
            _outcomeWaiters.Remove(taskId);
        }
    }

    /// <summary>How many outcomes are held (expired ones included until the next write evicts them).</summary>
    public int OutcomeCountLocked => _outcomes.Count;

    private void EvictExpiredLocked(DateTimeOffset now)
    {
        while (_expiryOrder.TryPeek(out var taskId, out var expiresAt) && expiresAt <= now)
        {
            _expiryOrder.Dequeue();
            if (_outcomes.TryGetValue(taskId, out var entry) && entry.ExpiresAt == expiresAt)
            {
                _outcomes.Remove(taskId);
            }
        }
    }

    // ---- Internals ----------------------------------------------------------------------------------------------

    private void OnDueTimer()
    {
        lock (Gate)
        {
            if (IsDisposedLocked)
            {
                return;
            }

            var nowTicks = TimeProvider.GetUtcNow().UtcTicks;
            var promoted = false;
            while (_scheduled.TryPeek(out var stored, out var order) && order.DueTicks <= nowTicks)
            {
                _scheduled.Dequeue();
                ReadyQueueLocked(stored.Message.Queue).AddLast(stored);
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
        if (IsDisposedLocked)
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

    private static bool Contains(IReadOnlyList<string> queues, string queue)
    {
        foreach (var candidate in queues)
        {
            if (string.Equals(candidate, queue, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
