using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;
using TypedTasks.Brokers;
using TypedTasks.Generated;
using TypedTasks.Tests.Support;

namespace TypedTasks.Tests.InMemory;

public sealed class InMemoryBrokerTests
{
    private static readonly ConsumerOptions s_defaultQueue = new() { Queues = [TaskMessage.DefaultQueue] };

    [Fact]
    public async Task Receive_returns_ready_messages_in_send_order()
    {
        await using var broker = new InMemoryBroker();
        var first = TestMessages.Create("a").ToMessage(broker.TimeProvider.GetUtcNow());
        var second = TestMessages.Create("b").ToMessage(broker.TimeProvider.GetUtcNow());
        await broker.SendManyAsync([first, second]);
        await using var consumer = await broker.CreateConsumerAsync(s_defaultQueue);

        var buffer = new TaskDelivery[10];
        var received = await consumer.ReceiveAsync(buffer, CancellationToken.None);

        Assert.Equal(2, received);
        Assert.Equal([first.Id, second.Id], buffer.Take(2).Select(d => d.Message.Id));
        Assert.All(buffer.Take(2), d => Assert.Equal(1, d.DeliveryCount));
        Assert.Equal(0, broker.GetQueueLength(TaskMessage.DefaultQueue));
        Assert.Equal(2, broker.GetInFlightCount());
    }

    [Fact]
    public async Task Receive_prefers_earlier_queues_and_fills_at_most_the_buffer()
    {
        await using var broker = new InMemoryBroker();
        await broker.SendManyAsync([TestMessages.Create("low", queue: "low"), TestMessages.Create("high", queue: "high"), TestMessages.Create("high2", queue: "high")]);
        await using var consumer = await broker.CreateConsumerAsync(new ConsumerOptions { Queues = ["high", "low"] });

        var buffer = new TaskDelivery[2];
        var received = await consumer.ReceiveAsync(buffer, CancellationToken.None);

        Assert.Equal(2, received);
        Assert.Equal(["high", "high2"], buffer.Select(d => d.Message.Actor));
        Assert.Equal(1, broker.GetQueueLength("low"));
    }

    [Fact]
    public async Task A_waiting_consumer_wakes_when_a_message_is_sent()
    {
        await using var broker = new InMemoryBroker();
        await using var consumer = await broker.CreateConsumerAsync(s_defaultQueue);
        var buffer = new TaskDelivery[4];

        var receive = consumer.ReceiveAsync(buffer, CancellationToken.None).AsTask();
        Assert.False(receive.IsCompleted);
        await broker.SendAsync(TestMessages.Create("late"));

        Assert.Equal(1, await receive.Within("the consumer received the message"));
        Assert.Equal("late", buffer[0].Message.Actor);
    }

    [Fact]
    public async Task Receive_honours_cancellation_without_taking_anything()
    {
        await using var broker = new InMemoryBroker();
        await using var consumer = await broker.CreateConsumerAsync(s_defaultQueue);
        using var cancel = new CancellationTokenSource();

        var receive = consumer.ReceiveAsync(new TaskDelivery[1], cancel.Token).AsTask();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => receive);
        await broker.SendAsync(TestMessages.Create("after"));
        Assert.Equal(1, broker.GetQueueLength(TaskMessage.DefaultQueue));
    }

    [Fact]
    public async Task Release_puts_the_message_back_at_the_end_and_counts_the_delivery()
    {
        await using var broker = new InMemoryBroker();
        await broker.SendManyAsync([TestMessages.Create("first"), TestMessages.Create("second")]);
        await using var consumer = await broker.CreateConsumerAsync(s_defaultQueue);
        var buffer = new TaskDelivery[1];
        await consumer.ReceiveAsync(buffer, CancellationToken.None);

        await consumer.ReleaseAsync(buffer[0]);

        Assert.Equal(["second", "first"], broker.GetReadyMessages(TaskMessage.DefaultQueue).Select(m => m.Actor));
        await consumer.ReceiveAsync(buffer, CancellationToken.None);
        await consumer.ReceiveAsync(buffer, CancellationToken.None);
        Assert.Equal("first", buffer[0].Message.Actor);
        Assert.Equal(2, buffer[0].DeliveryCount);
    }

    [Fact]
    public async Task Settling_a_delivery_twice_is_reported()
    {
        await using var broker = new InMemoryBroker();
        await broker.SendAsync(TestMessages.Create("once"));
        await using var consumer = await broker.CreateConsumerAsync(s_defaultQueue);
        var buffer = new TaskDelivery[1];
        await consumer.ReceiveAsync(buffer, CancellationToken.None);

        await consumer.AckAsync(buffer[0]);

        await Assert.ThrowsAsync<InvalidOperationException>(() => consumer.AckAsync(buffer[0]).AsTask());
        Assert.Equal(0, broker.GetInFlightCount());
    }

    [Fact]
    public async Task Disposing_a_consumer_hands_back_what_it_still_holds()
    {
        await using var broker = new InMemoryBroker();
        await broker.SendManyAsync([TestMessages.Create("a"), TestMessages.Create("b")]);
        var consumer = await broker.CreateConsumerAsync(s_defaultQueue);
        await consumer.ReceiveAsync(new TaskDelivery[2], CancellationToken.None);

        await consumer.DisposeAsync();

        Assert.Equal(0, broker.GetInFlightCount());
        Assert.Equal(2, broker.GetQueueLength(TaskMessage.DefaultQueue));
    }

    [Fact]
    public async Task A_message_due_later_becomes_ready_when_the_clock_reaches_its_due_time()
    {
        var time = new FakeTimeProvider();
        await using var broker = new InMemoryBroker(time);
        var client = broker.CreateClient();
        await client.SendAsync(TestMessages.Create("later", options: new SendOptions { Delay = TimeSpan.FromMinutes(5) }));
        await client.SendAsync(TestMessages.Create("sooner", options: new SendOptions { Delay = TimeSpan.FromMinutes(1) }));

        Assert.Equal(0, broker.GetQueueLength(TaskMessage.DefaultQueue));
        Assert.Equal(["sooner", "later"], broker.GetScheduledMessages().Select(m => m.Actor));

        time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(0, broker.GetQueueLength(TaskMessage.DefaultQueue));

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(["sooner"], broker.GetReadyMessages(TaskMessage.DefaultQueue).Select(m => m.Actor));

        time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(["sooner", "later"], broker.GetReadyMessages(TaskMessage.DefaultQueue).Select(m => m.Actor));
        Assert.Equal(0, broker.GetScheduledCount());
    }

    [Fact]
    public async Task A_waiting_consumer_receives_a_scheduled_message_once_it_is_due()
    {
        var time = new FakeTimeProvider();
        await using var broker = new InMemoryBroker(time);
        await broker.CreateClient().SendAsync(TestMessages.Create("later", options: new SendOptions { Delay = TimeSpan.FromSeconds(30) }));
        await using var consumer = await broker.CreateConsumerAsync(s_defaultQueue);

        var receive = consumer.ReceiveAsync(new TaskDelivery[1], CancellationToken.None).AsTask();
        Assert.False(receive.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal(1, await receive.Within("the due message was received"));
    }

    [Fact]
    public async Task Retry_schedules_the_next_attempt_and_settles_the_delivery()
    {
        var time = new FakeTimeProvider();
        await using var broker = new InMemoryBroker(time);
        await broker.SendAsync(TestMessages.Create("flaky"));
        await using var consumer = await broker.CreateConsumerAsync(s_defaultQueue);
        var buffer = new TaskDelivery[1];
        await consumer.ReceiveAsync(buffer, CancellationToken.None);

        var next = buffer[0].Message with { Attempt = 2, DueAt = time.GetUtcNow().AddSeconds(15) };
        await consumer.RetryAsync(buffer[0], next);

        Assert.Equal(0, broker.GetInFlightCount());
        var scheduled = Assert.Single(broker.GetScheduledMessages());
        Assert.Equal(2, scheduled.Attempt);
        Assert.Equal(buffer[0].Message.Id, scheduled.Id);
    }

    [Fact]
    public async Task Dead_letters_can_be_listed_requeued_and_purged()
    {
        var time = new FakeTimeProvider();
        await using var broker = new InMemoryBroker(time);
        await broker.SendManyAsync([TestMessages.Create("a"), TestMessages.Create("b")]);
        await using var consumer = await broker.CreateConsumerAsync(s_defaultQueue);
        var buffer = new TaskDelivery[2];
        await consumer.ReceiveAsync(buffer, CancellationToken.None);
        var error = new TaskError(DeadLetterReason.NonRetryable, "Boom", "it broke");
        await consumer.DeadLetterAsync(buffer[0], error);
        await consumer.DeadLetterAsync(buffer[1] , error);

        var listed = await broker.DeadLetters.ListAsync(TaskMessage.DefaultQueue);
        Assert.Equal(["a", "b"], listed.Select(d => d.Message!.Actor));
        Assert.Equal(error, listed[0].Error);
        Assert.Single(await broker.DeadLetters.ListAsync(TaskMessage.DefaultQueue, count: 1));

        time.Advance(TimeSpan.FromHours(1));
        Assert.True(await broker.DeadLetters.RequeueAsync(TaskMessage.DefaultQueue, listed[0].Id));
        Assert.False(await broker.DeadLetters.RequeueAsync(TaskMessage.DefaultQueue, listed[0].Id));
        var requeued = Assert.Single(broker.GetReadyMessages(TaskMessage.DefaultQueue));
        Assert.Equal(1, requeued.Attempt);
        Assert.Equal(time.GetUtcNow(), requeued.EnqueuedAt);

        Assert.Equal(1, await broker.DeadLetters.PurgeAsync(TaskMessage.DefaultQueue));
        Assert.Empty(broker.GetDeadLetters());
    }

    [Fact]
    public async Task Results_expire_after_their_time_to_live()
    {
        var time = new FakeTimeProvider();
        await using var broker = new InMemoryBroker(time);
        var outcome = new TaskOutcome(true, "42"u8.ToArray(), null, time.GetUtcNow());

        await broker.Results.SetAsync("t1", outcome, TimeSpan.FromMinutes(10));
        time.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal("42"u8.ToArray(), (await broker.Results.GetAsync("t1"))!.Value.ToArray());

        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Null(await broker.Results.GetAsync("t1"));
    }

    [Fact]
    public async Task Expired_results_are_evicted_by_later_writes_even_if_never_read()
    {
        var time = new FakeTimeProvider();
        await using var broker = new InMemoryBroker(time);
        var store = broker.Results;
        var outcome = new TaskOutcome(true, "1"u8.ToArray(), null, time.GetUtcNow());
        for (var i = 0; i < 100; i++)
        {
            await store.SetAsync("old-" + i, outcome, TimeSpan.FromMinutes(1));
        }

        // Rewritten with a longer life: its first (earlier) expiry must not evict it.
        await store.SetAsync("old-0", outcome, TimeSpan.FromMinutes(10));
        time.Advance(TimeSpan.FromMinutes(2));
        await store.SetAsync("new", outcome, TimeSpan.FromMinutes(1));

        lock (broker.State.Gate)
        {
            Assert.Equal(2, broker.State.OutcomeCountLocked);
        }

        Assert.NotNull(await store.GetAsync("old-0"));
        Assert.NotNull(await store.GetAsync("new"));
        Assert.Null(await store.GetAsync("old-1"));
    }

    [Fact]
    public async Task Waiting_for_a_result_completes_when_it_is_set()
    {
        await using var broker = new InMemoryBroker();
        var wait = broker.Results.WaitAsync("t1", TimeSpan.FromMinutes(1)).AsTask();
        Assert.False(wait.IsCompleted);

        await broker.Results.SetAsync("t1", new TaskOutcome(true, "1"u8.ToArray(), null, DateTimeOffset.UtcNow), TimeSpan.FromMinutes(1));

        var outcome = await wait.Within("the waiter saw the outcome");
        Assert.True(outcome!.Succeeded);
    }

    [Fact]
    public async Task Waiting_for_a_result_that_never_comes_returns_null_after_the_timeout()
    {
        // A fake clock that never moves must not turn the wait into a hang: the timeout is wall-clock.
        await using var broker = new InMemoryBroker(new FakeTimeProvider());

        var outcome = await broker.Results.WaitAsync("missing", TimeSpan.FromMilliseconds(20)).AsTask().Within("the wait timed out");

        Assert.Null(outcome);
    }

    [Fact]
    public async Task A_message_without_an_enqueue_time_is_refused_not_stamped()
    {
        await using var broker = new InMemoryBroker(new FakeTimeProvider());
        var unstamped = new TaskMessage { Id = "raw-1", Actor = "raw", Queue = TaskMessage.DefaultQueue, Arguments = "{}"u8.ToArray() };

        var refused = await Assert.ThrowsAsync<ArgumentException>(async () => await broker.SendAsync(unstamped));

        Assert.Contains("enqueue time", refused.Message, StringComparison.Ordinal);
        Assert.Empty(broker.GetReadyMessages(TaskMessage.DefaultQueue));
    }

    [Fact]
    public async Task The_broker_keeps_its_own_copy_of_the_arguments()
    {
        await using var broker = new InMemoryBroker();
        var bytes = "{\"x\":1}"u8.ToArray();
        await broker.SendAsync(TaskMessages.Create("copy", TaskMessage.DefaultQueue, bytes, null));

        bytes[5] = (byte)'9';

        Assert.Equal("{\"x\":1}"u8.ToArray(), broker.GetReadyMessages(TaskMessage.DefaultQueue)[0].Arguments.ToArray());
    }
}
