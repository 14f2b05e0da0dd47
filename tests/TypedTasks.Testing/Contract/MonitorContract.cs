using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using TypedTasks.Brokers;
using TypedTasks.Monitoring;

namespace TypedTasks.Testing;

/// <summary>
/// The monitoring contract — <see cref="ITaskMonitor"/> and the dead-letter operations of <see cref="IDeadLetterStore"/>
/// it exposes — stated by behaviour only. Every broker runs it: in-memory (TypedTasks.Tests), a standalone redis-server
/// and a three-master Cluster (TypedTasks.Redis.Tests), where the queues of one case sit in different slots.
/// </summary>
/// <remarks>
/// What differs by nature is stated, not hidden: the in-memory broker promotes a due message by itself at its due
/// time, Redis when a consumer of the queue next reads, so a case checks that what is due is counted as due
/// (<see cref="QueueInfo.ScheduledDue"/> = <see cref="QueueInfo.Scheduled"/>), not where it sits.
/// </remarks>
public abstract class MonitorContract
{
    /// <summary>How long to wait for a worker's heartbeat to show (Redis beats every 300 ms in the tests).</summary>
    protected static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    /// <summary>The delay of delayed messages: short, since the Redis runners wait it out for real.</summary>
    protected static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(900);

    /// <summary>The broker's clock.</summary>
    protected abstract TimeProvider Time { get; }

    /// <summary>A fresh broker that shares no queues with any other case.</summary>
    protected abstract ITaskBroker CreateBroker();

    /// <summary>Lets <paramref name="duration"/> pass on <see cref="Time"/>.</summary>
    protected abstract Task LetTimePassAsync(TimeSpan duration);

    [Fact]
    public async Task Queues_are_known_from_their_first_send_or_consumer_and_listed_in_order()
    {
        await using var broker = CreateBroker();
        var monitor = broker.Monitor!;
        var sentTo = "b" + TestMessages.Queue();
        var consumed = "a" + TestMessages.Queue();
        var unknown = TestMessages.Queue();

        Assert.Empty(await monitor.GetQueueNamesAsync());
        Assert.Null(await monitor.GetQueueAsync(unknown));

        await broker.SendAsync(Message(sentTo));
        await using var consumer = await broker.CreateConsumerAsync(TestMessages.For(consumed));

        Assert.Equal([consumed, sentTo], await monitor.GetQueueNamesAsync());
        Assert.Equal([consumed, sentTo], (await monitor.GetQueuesAsync()).Select(q => q.Name));
        Assert.Equal(1, (await monitor.GetQueueAsync(sentTo))!.Waiting);
        Assert.Equal(0, (await monitor.GetQueueAsync(consumed))!.Waiting);
        Assert.Null(await monitor.GetQueueAsync(unknown));
        Assert.Same(broker.DeadLetters, monitor.DeadLetters);
    }

    [Fact]
    public async Task Queue_counts_follow_messages_from_waiting_to_in_flight_to_dead()
    {
        await using var broker = CreateBroker();
        var monitor = broker.Monitor!;
        var queue = TestMessages.Queue();
        var other = TestMessages.Queue();
        for (var i = 0; i < 3; i++)
        {
            await broker.SendAsync(Message(queue));
        }

        await broker.SendManyAsync([Delayed(queue), Delayed(queue), Message(other)]);

        var before = (await monitor.GetQueueAsync(queue))!;
        Assert.Equal((3L, 2L, 0L, 0L, 0L, 0), (before.Waiting, before.Scheduled, before.ScheduledDue, before.InFlight, before.DeadLetters, before.Consumers));
        Assert.NotNull(before.OldestWaitingAge);
        Assert.True(before.OldestWaitingAge >= TimeSpan.Zero);
        Assert.Equal(1, (await monitor.GetQueueAsync(other))!.Waiting);

        await using var consumer = await broker.CreateConsumerAsync(TestMessages.For(queue));
        var first = await consumer.ReceiveOneAsync(Wait);
        Assert.NotNull(first);
        var second = await consumer.ReceiveOneAsync(Wait);
        Assert.NotNull(second);

        var running = (await monitor.GetQueueAsync(queue))!;
        Assert.Equal((1L, 2L, 1), (running.Waiting, running.InFlight, running.Consumers));

        await consumer.AckAsync(first);
        await consumer.DeadLetterAsync(second, new TaskError(DeadLetterReason.NonRetryable, "Boom", "boom"));

        var settled = (await monitor.GetQueueAsync(queue))!;
        Assert.Equal((1L, 0L, 1L), (settled.Waiting, settled.InFlight, settled.DeadLetters));
        Assert.Equal(0, (await monitor.GetQueueAsync(other))!.DeadLetters);
    }

    [Fact]
    public async Task Scheduled_messages_count_as_due_once_their_time_has_come()
    {
        await using var broker = CreateBroker();
        var monitor = broker.Monitor!;
        var queue = TestMessages.Queue();
        await broker.SendManyAsync([Delayed(queue), Delayed(queue)]);

        await LetTimePassAsync(Delay + TimeSpan.FromMilliseconds(200));

        // In memory they are promoted by the broker's timer; on Redis by the next read of a consumer (none here).
        var due = (await monitor.GetQueueAsync(queue))!;
        Assert.Equal(2, due.Waiting + due.Scheduled);
        Assert.Equal(due.Scheduled, due.ScheduledDue);
    }

    [Fact]
    public async Task The_oldest_waiting_age_is_absent_for_an_empty_queue_and_grows_while_a_message_waits()
    {
        await using var broker = CreateBroker();
        var monitor = broker.Monitor!;
        var queue = TestMessages.Queue();
        await using var consumer = await broker.CreateConsumerAsync(TestMessages.For(queue));
        Assert.Null((await monitor.GetQueueAsync(queue))!.OldestWaitingAge);

        await broker.SendAsync(Message(queue) with { EnqueuedAt = Time.GetUtcNow() });
        await LetTimePassAsync(TimeSpan.FromMilliseconds(300));

        var age = (await monitor.GetQueueAsync(queue))!.OldestWaitingAge;
        Assert.NotNull(age);
        Assert.True(age >= TimeSpan.FromMilliseconds(250), $"age {age}");
    }

    [Fact]
    public async Task A_consumer_is_listed_as_a_worker_with_its_queues_and_running_count_until_it_closes()
    {
        await using var broker = CreateBroker();
        var monitor = broker.Monitor!;
        var queues = new[] { TestMessages.Queue(), TestMessages.Queue() };
        var running = 3;
        var name = "w-" + TestMessages.Queue();
        var consumer = await broker.CreateConsumerAsync(new ConsumerOptions { Queues = queues, ConsumerName = name, RunningCount = () => running });

        WorkerInfo? worker = null;
        await Eventually.UntilAsync(
            async () => (worker = (await monitor.GetWorkersAsync()).SingleOrDefault(w => w.Name == name)) is { Running: 3 },
            "the worker is listed with its running count",
            Wait);
        Assert.Equal(queues, worker!.Queues);
        Assert.Equal(Environment.MachineName, worker.Host);
        Assert.Equal(Environment.ProcessId, worker.ProcessId);
        Assert.True(worker.StartedAt <= worker.LastHeartbeat);

        running = 5;
        await Eventually.UntilAsync(
            async () => (await monitor.GetWorkersAsync()).Single(w => w.Name == name).Running == 5,
            "the running count follows the worker",
            Wait);

        await consumer.DisposeAsync();
        Assert.DoesNotContain(await monitor.GetWorkersAsync(), w => w.Name == name);
    }

    [Fact]
    public async Task A_bare_consumer_reports_the_deliveries_it_holds_as_running()
    {
        await using var broker = CreateBroker();
        var queue = TestMessages.Queue();
        await broker.SendManyAsync([Message(queue), Message(queue)]);
        await using var consumer = await broker.CreateConsumerAsync(TestMessages.Named("bare-" + queue, queue));
        Assert.Equal(2, (await consumer.ReceiveManyAsync(2, Wait)).Count);

        await Eventually.UntilAsync(
            async () => (await broker.Monitor!.GetWorkersAsync()).SingleOrDefault(w => w.Name == "bare-" + queue) is { Running: 2 },
            "the consumer reports its two deliveries",
            Wait);
    }

    [Fact]
    public async Task Purging_a_queue_removes_waiting_and_scheduled_messages_and_lets_in_flight_ones_finish()
    {
        await using var broker = CreateBroker();
        var monitor = broker.Monitor!;
        var queue = TestMessages.Queue();
        await broker.SendManyAsync([Message(queue), Message(queue), Message(queue), Delayed(queue), Delayed(queue)]);
        await using var consumer = await broker.CreateConsumerAsync(TestMessages.For(queue));
        var inFlight = await consumer.ReceiveOneAsync(Wait);
        Assert.NotNull(inFlight);

        var purged = await monitor.PurgeQueueAsync(queue);

        Assert.Equal((2L, 2L), (purged.Waiting, purged.Scheduled));
        var after = (await monitor.GetQueueAsync(queue))!;
        Assert.Equal((0L, 0L, 1L), (after.Waiting, after.Scheduled, after.InFlight));

        await consumer.AckAsync(inFlight);
        Assert.Equal(0, (await monitor.GetQueueAsync(queue))!.InFlight);

        // The queue works on: a message sent after the purge is delivered.
        var fresh = Message(queue);
        await broker.SendAsync(fresh);
        Assert.Equal(fresh.Id, (await consumer.ReceiveOneAsync(Wait))?.Message.Id);
        var nothing = await monitor.PurgeQueueAsync(TestMessages.Queue());
        Assert.Equal((0L, 0L), (nothing.Waiting, nothing.Scheduled));
    }

    [Fact]
    public async Task A_dead_letter_is_shown_by_id_deleted_once_and_requeued_by_filter()
    {
        await using var broker = CreateBroker();
        var store = broker.Monitor!.DeadLetters;
        var queue = TestMessages.Queue();
        var letters = await DeadLetterAsync(broker, queue, [
            (DeadLetterReason.RetriesExhausted, "a.one"),
            (DeadLetterReason.NonRetryable, "a.two"),
            (DeadLetterReason.RetriesExhausted, "a.two"),
            (DeadLetterReason.Expired, "a.one"),
        ]);

        var listed = (await store.ListPageAsync(queue, new DeadLetterQuery())).Items;
        Assert.Equal(letters.Select(m => m.Id), listed.Select(d => d.TaskId));
        Assert.Equal(["a.one", "a.two", "a.two", "a.one"], listed.Select(d => d.Actor));

        var shown = await store.GetAsync(queue, listed[1].Id);
        Assert.NotNull(shown);
        Assert.Equal((DeadLetterReason.NonRetryable, letters[1].Id), (shown.Error.Reason, shown.TaskId));
        Assert.Null(await store.GetAsync(queue, "not-an-id"));
        Assert.Null(await store.GetAsync(TestMessages.Queue(), listed[1].Id));

        Assert.True(await store.DeleteAsync(queue, listed[1].Id));
        Assert.False(await store.DeleteAsync(queue, listed[1].Id));
        Assert.False(await store.DeleteAsync(queue, "not-an-id"));
        Assert.Null(await store.GetAsync(queue, listed[1].Id));

        var requeued = await store.RequeueMatchingAsync(queue, new DeadLetterFilter { Reason = DeadLetterReason.RetriesExhausted });
        Assert.Equal(2, requeued);
        Assert.Equal([letters[3].Id], (await store.ListPageAsync(queue, new DeadLetterQuery())).Items.Select(d => d.TaskId));

        await using var consumer = await broker.CreateConsumerAsync(TestMessages.For(queue));
        var again = await consumer.ReceiveManyAsync(2, Wait);
        Assert.Equal(new[] { letters[0].Id, letters[2].Id }.Order(), again.Select(d => d.Message.Id).Order());
        Assert.All(again, d => Assert.Equal(1, d.Message.Attempt));
    }

    [Fact]
    public async Task Dead_letters_are_purged_by_actor_by_age_or_all()
    {
        await using var broker = CreateBroker();
        var store = broker.Monitor!.DeadLetters;
        var queue = TestMessages.Queue();
        var old = await DeadLetterAsync(broker, queue, [(DeadLetterReason.RetriesExhausted, "a.one"), (DeadLetterReason.RetriesExhausted, "a.two")]);
        await LetTimePassAsync(Delay);
        var cutoff = Time.GetUtcNow();
        await LetTimePassAsync(TimeSpan.FromMilliseconds(50));
        var young = await DeadLetterAsync(broker, queue, [(DeadLetterReason.RetriesExhausted, "a.one"), (DeadLetterReason.NonRetryable, "a.two")]);

        Assert.Equal(1, await store.PurgeMatchingAsync(queue, new DeadLetterFilter { Actor = "a.one", DeadLetteredBefore = cutoff }));
        Assert.Equal(
            [old[1].Id, young[0].Id, young[1].Id],
            (await store.ListPageAsync(queue, new DeadLetterQuery())).Items.Select(d => d.TaskId));

        Assert.Equal(1, await store.PurgeMatchingAsync(queue, new DeadLetterFilter { DeadLetteredBefore = cutoff }));
        Assert.Equal(0, await store.PurgeMatchingAsync(queue, new DeadLetterFilter { Actor = "a.none" }));
        Assert.Equal(2, await store.PurgeMatchingAsync(queue, DeadLetterFilter.All));
        Assert.Equal(0, (await broker.Monitor!.GetQueueAsync(queue))!.DeadLetters);
    }

    [Fact]
    public async Task Paging_through_filtered_dead_letters_returns_every_match_once_in_order()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("TYPEDTASKS_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s)
            ? s
            : Random.Shared.Next();
        var random = new Random(seed);
        var reasons = new[] { DeadLetterReason.RetriesExhausted, DeadLetterReason.NonRetryable, DeadLetterReason.Expired };
        var actors = new[] { "p.one", "p.two", "p.three" };

        await using var broker = CreateBroker();
        var store = broker.Monitor!.DeadLetters;
        var queue = TestMessages.Queue();
        var specs = Enumerable.Range(0, 17).Select(_ => (reasons[random.Next(reasons.Length)], actors[random.Next(actors.Length)])).ToList();
        await DeadLetterAsync(broker, queue, specs);
        var all = (await store.ListPageAsync(queue, new DeadLetterQuery { Count = int.MaxValue })).Items;
        Assert.Equal(specs.Count, all.Count);

        for (var round = 0; round < 8; round++)
        {
            var filter = random.Next(4) == 0 ? null : new DeadLetterFilter
            {
                Reason = random.Next(2) == 0 ? reasons[random.Next(reasons.Length)] : null,
                Actor = random.Next(2) == 0 ? actors[random.Next(actors.Length)] : null,
            };
            var pageSize = random.Next(1, 7);
            var expected = all.Where(d => filter is null || filter.Matches(d)).Select(d => d.Id).ToList();

            var seen = new List<string>();
            string? after = null;
            for (var pages = 0; pages <= specs.Count + 1; pages++)
            {
                var page = await store.ListPageAsync(queue, new DeadLetterQuery { After = after, Count = pageSize, Filter = filter });
                Assert.True(page.Items.Count <= pageSize, $"seed {seed}: a page of {page.Items.Count} for size {pageSize}");
                seen.AddRange(page.Items.Select(d => d.Id));
                if (page.Next is null)
                {
                    break;
                }

                Assert.True(page.Items.Count == pageSize, $"seed {seed}: a short page ({page.Items.Count} of {pageSize}) with a next cursor");
                after = page.Next;
            }

            Assert.True(
                expected.SequenceEqual(seen),
                $"seed {seed}, round {round}, filter {filter}, page size {pageSize}: expected [{string.Join(", ", expected)}], paged [{string.Join(", ", seen)}]");
        }
    }

    [Fact]
    public async Task A_cursor_that_is_no_dead_letter_id_is_refused()
    {
        await using var broker = CreateBroker();
        var store = broker.Monitor!.DeadLetters;
        await Assert.ThrowsAsync<ArgumentException>(async () => await store.ListPageAsync(TestMessages.Queue(), new DeadLetterQuery { After = "x-1" }));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await store.ListPageAsync(TestMessages.Queue(), new DeadLetterQuery { Count = 0 }));
    }

    [Fact]
    public async Task The_broker_answers_a_ping()
    {
        await using var broker = CreateBroker();
        Assert.True(await broker.Monitor!.PingAsync() >= TimeSpan.Zero);
    }

    /// <summary>Sends one message per spec, receives them all and dead-letters each with its reason, in order.</summary>
    protected async Task<List<TaskMessage>> DeadLetterAsync(ITaskBroker broker, string queue, IReadOnlyList<(DeadLetterReason Reason, string Actor)> specs)
    {
        var messages = specs.Select(spec => Message(queue) with { Actor = spec.Actor }).ToList();
        await broker.SendManyAsync(messages);
        await using var consumer = await broker.CreateConsumerAsync(TestMessages.For(queue));
        var deliveries = (await consumer.ReceiveManyAsync(messages.Count, Wait)).ToDictionary(d => d.Message.Id);
        Assert.Equal(messages.Count, deliveries.Count);
        for (var i = 0; i < messages.Count; i++)
        {
            await consumer.DeadLetterAsync(deliveries[messages[i].Id], new TaskError(specs[i].Reason, "Test", "dead " + i));
        }

        return messages;
    }

    private TaskMessage Message(string queue) => TestMessages.Create(queue) with { EnqueuedAt = Time.GetUtcNow() };

    private TaskMessage Delayed(string queue) => Message(queue) with { DueAt = Time.GetUtcNow() + Delay };
}
