using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using TypedTasks.Brokers;

namespace TypedTasks.Testing;

/// <summary>
/// The broker contract — <see cref="ITaskBroker"/>, <see cref="ITaskConsumer"/>, <see cref="IDeadLetterStore"/> and
/// <see cref="ITaskResultStore"/> — stated by behaviour only, through the public interfaces. Every broker runs it:
/// the in-memory one (TypedTasks.Tests), a standalone redis-server and a three-master Cluster (TypedTasks.Redis.Tests).
/// </summary>
/// <remarks>
/// A case that passes on one broker and fails on another is a bug in one of them, not a footnote. Assertions on how a
/// broker stores things (Redis keys, in-memory inspection methods) belong in that broker's own test class.
/// Time: each runner says how the broker's clock passes (<see cref="LetTimePassAsync"/>): the in-memory runner
/// advances a fake clock, the Redis runners wait on the real one, so the delays here are short.
/// </remarks>
public abstract partial class BrokerContract
{
    /// <summary>How long a wait for something that should arrive may take before the case fails.</summary>
    protected static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    /// <summary>How long to listen before concluding that nothing is delivered: longer than a Redis consumer's poll.</summary>
    protected static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(400);

    /// <summary>The delay of delayed messages and retries: short, since the Redis runners wait it out for real.</summary>
    protected static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(900);

    /// <summary>The broker's clock: due times are computed on it.</summary>
    protected abstract TimeProvider Time { get; }

    /// <summary>A fresh broker that shares no queues with any other case.</summary>
    protected abstract ITaskBroker CreateBroker();

    /// <summary>Lets <paramref name="duration"/> pass on <see cref="Time"/>.</summary>
    protected abstract Task LetTimePassAsync(TimeSpan duration);

    [Fact]
    public async Task A_sent_message_is_received_with_its_envelope_and_an_acked_one_is_gone()
    {
        await using var broker = CreateBroker();
        var queue = TestMessages.Queue();
        var sent = Message(queue, """{"to":"a@b.c","n":[1,2,3],"s":"é:ü"}""") with
        {
            Headers = new Dictionary<string, string> { ["traceparent"] = "00-abc-def-01", ["x"] = "y\"z" },
        };
        await broker.SendAsync(sent);

        var consumer = await broker.CreateConsumerAsync(TestMessages.For(queue));
        var delivery = await consumer.ReceiveOneAsync(Wait);

        Assert.NotNull(delivery);
        var got = delivery.Message;
        Assert.Equal(sent.Id, got.Id);
        Assert.Equal(sent.Actor, got.Actor);
        Assert.Equal(queue, got.Queue);
        Assert.Equal(Encoding.UTF8.GetString(sent.Arguments.Span), Encoding.UTF8.GetString(got.Arguments.Span));
        Assert.Equal(1, got.Attempt);
        Assert.Equal(sent.EnqueuedAt.ToUnixTimeMilliseconds(), got.EnqueuedAt.ToUnixTimeMilliseconds());
        Assert.Null(got.DueAt);
        Assert.Equal(sent.Headers, got.Headers);
        Assert.Equal(1, delivery.DeliveryCount);
        Assert.False(string.IsNullOrEmpty(delivery.DeliveryId));

        await consumer.AckAsync(delivery);
        await consumer.DisposeAsync();

        await using var next = await broker.CreateConsumerAsync(TestMessages.For(queue));
        Assert.Null(await next.ReceiveOneAsync(Quiet));
    }

    [Fact]
    public async Task The_broker_keeps_its_own_copy_of_the_arguments()
    {
        await using var broker = CreateBroker();
        var queue = TestMessages.Queue();
        var buffer = Encoding.UTF8.GetBytes("""{"n":1}""");
        await broker.SendAsync(Message(queue) with { Arguments = buffer });
        buffer[^2] = (byte)'9';

        await using var consumer = await broker.CreateConsumerAsync(TestMessages.For(queue));
        var delivery = await consumer.ReceiveOneAsync(Wait);

        Assert.Equal("""{"n":1}""", Encoding.UTF8.GetString(delivery!.Message.Arguments.Span));
    }

    [Fact]
    public async Task Send_many_delivers_a_queue_in_send_order_and_every_queue_its_own()
    {
        await using var broker = CreateBroker();
        var (first, second) = (TestMessages.Queue(), TestMessages.Queue());
        var batch = Enumerable.Range(0, 60).Select(i => Message(i % 3 == 0 ? second : first, $$"""{"i":{{i}}}""")).ToList();

        await broker.SendManyAsync(batch);

        await using var firstConsumer = await broker.CreateConsumerAsync(TestMessages.For(first));
        var received = await firstConsumer.ReceiveManyAsync(40, Wait);
        Assert.Equal(batch.Where(m => m.Queue == first).Select(m => m.Id), received.Select(d => d.Message.Id));
        await using var secondConsumer = await broker.CreateConsumerAsync(TestMessages.For(second));
        var others = await secondConsumer.ReceiveManyAsync(20, Wait);
        Assert.Equal(batch.Where(m => m.Queue == second).Select(m => m.Id), others.Select(d => d.Message.Id));
    }

    [Fact]
    public async Task A_delayed_message_is_not_delivered_before_it_is_due_and_is_delivered_after()
    {
        await using var broker = CreateBroker();
        var queue = TestMessages.Queue();
        await using var consumer = await broker.CreateConsumerAsync(TestMessages.For(queue));
        var dueAt = Time.GetUtcNow() + Delay;
        var delayed = Message(queue) with { DueAt = dueAt };
        var now = Message(queue);

        await broker.SendManyAsync([delayed, now]);

        var first = await consumer.ReceiveOneAsync(Wait);
        Assert.Equal(now.Id, first?.Message.Id);
        await consumer.AckAsync(first!);
        Assert.Null(await consumer.ReceiveOneAsync(Quiet));

        await LetTimePassAsync(Delay);
        var later = await consumer.ReceiveOneAsync(Wait);

        Assert.NotNull(later);
        Assert.Equal(delayed.Id, later.Message.Id);
        Assert.True(Time.GetUtcNow() >= dueAt, "the delayed message was delivered before it was due");
        Assert.Equal(dueAt.ToUnixTimeMilliseconds(), later.Message.DueAt?.ToUnixTimeMilliseconds());
    }

    [Fact]
    public async Task Retry_settles_the_delivery_and_delivers_the_next_attempt_when_it_is_due()
    {
        await using var broker = CreateBroker();
        var queue = TestMessages.Queue();
        await using var consumer = await broker.CreateConsumerAsync(TestMessages.For(queue));
        await broker.SendAsync(Message(queue));
        var first = await consumer.ReceiveOneAsync(Wait);
        Assert.NotNull(first);
        var dueAt = Time.GetUtcNow() + Delay;

        await consumer.RetryAsync(first, first.Message with { Attempt = 2, DueAt = dueAt });

        Assert.Null(await consumer.ReceiveOneAsync(Quiet));
        await LetTimePassAsync(Delay);
        var second = await consumer.ReceiveOneAsync(Wait);
        Assert.NotNull(second);
        Assert.True(Time.GetUtcNow() >= dueAt, "the retry was delivered before its backoff ended");
        Assert.Equal(first.Message.Id, second.Message.Id);
        Assert.Equal(2, second.Message.Attempt);
        Assert.Equal(dueAt.ToUnixTimeMilliseconds(), second.Message.DueAt?.ToUnixTimeMilliseconds());
        Assert.Equal(1, second.DeliveryCount);
        await consumer.AckAsync(second);
        Assert.Null(await consumer.ReceiveOneAsync(Quiet));
    }

    [Fact]
    public async Task A_retry_due_now_is_delivered_at_once_as_a_new_delivery()
    {
        await using var broker = CreateBroker();
        var queue = TestMessages.Queue();
        await using var consumer = await broker.CreateConsumerAsync(TestMessages.For(queue));
        await broker.SendAsync(Message(queue));
        var first = await consumer.ReceiveOneAsync(Wait);
        Assert.NotNull(first);

        await consumer.RetryAsync(first, first.Message with { Attempt = 2, DueAt = null });

        var second = await consumer.ReceiveOneAsync(Wait);
        Assert.NotNull(second);
        Assert.Equal(2, second.Message.Attempt);
        Assert.NotEqual(first.DeliveryId, second.DeliveryId);
    }

    [Fact]
    public async Task Release_hands_the_delivery_back_at_once_behind_what_is_ready_and_counts_it()
    {
        await using var broker = CreateBroker();
        var queue = TestMessages.Queue();
        var (released, waiting) = (Message(queue), Message(queue));
        await broker.SendManyAsync([released, waiting]);
        await using var consumer = await broker.CreateConsumerAsync(TestMessages.For(queue));
        var first = await consumer.ReceiveOneAsync(Wait);
        Assert.Equal(released.Id, first?.Message.Id);

        await consumer.ReleaseAsync(first!);

        // A Redis stream only appends, so a released entry goes to the back; the in-memory broker does the same.
        var again = await consumer.ReceiveManyAsync(2, Wait);
        Assert.Equal([waiting.Id, released.Id], again.Select(d => d.Message.Id));
        Assert.Equal([1, 2], again.Select(d => d.DeliveryCount));
        Assert.Equal(1, again[1].Message.Attempt);
    }

    [Fact]
    public async Task A_dead_letter_keeps_the_message_and_its_error_and_can_be_listed_requeued_once_and_purged()
    {
        await using var broker = CreateBroker();
        var queue = TestMessages.Queue();
        await using var consumer = await broker.CreateConsumerAsync(TestMessages.For(queue));
        var (failed, refused) = (Message(queue), Message(queue));
        await broker.SendManyAsync([failed, refused]);
        var deliveries = await consumer.ReceiveManyAsync(2, Wait);
        Exception thrown;
        try
        {
            throw new InvalidOperationException("boom");
        }
        catch (InvalidOperationException exception)
        {
            thrown = exception;
        }

        var before = Time.GetUtcNow();
        await consumer.DeadLetterAsync(deliveries[0], TaskError.FromException(DeadLetterReason.RetriesExhausted, thrown));
        await consumer.DeadLetterAsync(deliveries[1], new TaskError(DeadLetterReason.InvalidArguments, "System.Text.Json.JsonException", "bad json"));

        var letters = await broker.DeadLetters.ListAsync(queue);
        Assert.Equal([failed.Id, refused.Id], letters.Select(l => l.Message?.Id));
        Assert.All(letters, l => Assert.Equal(queue, l.Queue));
        Assert.Equal([DeadLetterReason.RetriesExhausted, DeadLetterReason.InvalidArguments], letters.Select(l => l.Error.Reason));
        Assert.Equal(typeof(InvalidOperationException).FullName, letters[0].Error.Type);
        Assert.Equal("boom", letters[0].Error.Message);
        Assert.Contains(nameof(A_dead_letter_keeps_the_message_and_its_error_and_can_be_listed_requeued_once_and_purged), letters[0].Error.StackTrace, StringComparison.Ordinal);
        Assert.Null(letters[1].Error.StackTrace);
        Assert.Equal(Encoding.UTF8.GetString(failed.Arguments.Span), Encoding.UTF8.GetString(letters[0].Message!.Arguments.Span));
        Assert.InRange(letters[0].DeadLetteredAt, before.AddSeconds(-5), before.AddSeconds(5));
        Assert.Single(await broker.DeadLetters.ListAsync(queue, count: 1));
        Assert.Empty(await broker.DeadLetters.ListAsync(TestMessages.Queue()));
        Assert.Null(await consumer.ReceiveOneAsync(Quiet));

        Assert.True(await broker.DeadLetters.RequeueAsync(queue, letters[0].Id));
        Assert.False(await broker.DeadLetters.RequeueAsync(queue, letters[0].Id));
        var requeued = await consumer.ReceiveOneAsync(Wait);
        Assert.NotNull(requeued);
        Assert.Equal(failed.Id, requeued.Message.Id);
        Assert.Equal(1, requeued.Message.Attempt);
        Assert.Null(requeued.Message.DueAt);
        Assert.Equal(refused.Id, Assert.Single(await broker.DeadLetters.ListAsync(queue)).Message?.Id);

        Assert.Equal(1, await broker.DeadLetters.PurgeAsync(queue));
        Assert.Empty(await broker.DeadLetters.ListAsync(queue));
        Assert.Equal(0, await broker.DeadLetters.PurgeAsync(queue));
    }

    [Fact]
    public async Task Requeueing_a_dead_letter_forgets_the_failed_outcome_of_its_last_run()
    {
        await using var broker = CreateBroker();
        var queue = TestMessages.Queue();
        await using var consumer = await broker.CreateConsumerAsync(TestMessages.For(queue));
        var sent = Message(queue);
        await broker.SendAsync(sent);
        var delivery = await consumer.ReceiveOneAsync(Wait);
        var error = new TaskError(DeadLetterReason.NonRetryable, "E", "no");
        await consumer.DeadLetterAsync(delivery!, error);
        await broker.Results.SetAsync(sent.Id, new TaskOutcome(false, ReadOnlyMemory<byte>.Empty, error, Time.GetUtcNow()), TimeSpan.FromMinutes(1));
        var letter = Assert.Single(await broker.DeadLetters.ListAsync(queue));

        Assert.True(await broker.DeadLetters.RequeueAsync(queue, letter.Id));

        // A caller waiting on the task again must wait for the new run, not get the old failure.
        Assert.Null(await broker.Results.GetAsync(sent.Id));
    }

    [Fact]
    public async Task Requeueing_an_unknown_dead_letter_is_refused()
    {
        await using var broker = CreateBroker();

        Assert.False(await broker.DeadLetters.RequeueAsync(TestMessages.Queue(), "1-0"));
    }

    [Fact]
    public async Task Results_are_stored_read_waited_for_and_expire()
    {
        await using var broker = CreateBroker();
        var results = broker.Results;
        var (ok, failed) = (TaskId.NewId(), TaskId.NewId());
        var completedAt = DateTimeOffset.FromUnixTimeMilliseconds(Time.GetUtcNow().ToUnixTimeMilliseconds());

        Assert.Null(await results.GetAsync(ok));
        Assert.Null(await results.WaitAsync(ok, TimeSpan.FromMilliseconds(200)));

        var waiting = results.WaitAsync(ok, Wait).AsTask();
        await Task.Delay(100);
        Assert.False(waiting.IsCompleted);
        await results.SetAsync(ok, new TaskOutcome(true, Encoding.UTF8.GetBytes("""{"sum":42}"""), null, completedAt), TimeSpan.FromMinutes(1));
        var waited = await waiting.WaitAsync(Wait);
        Assert.NotNull(waited);
        Assert.True(waited.Succeeded);
        Assert.Equal("""{"sum":42}""", Encoding.UTF8.GetString(waited.Value.Span));
        Assert.Equal(completedAt, waited.CompletedAt);

        var error = new TaskError(DeadLetterReason.RetriesExhausted, "System.Exception", "nope", "at X");
        await results.SetAsync(failed, new TaskOutcome(false, ReadOnlyMemory<byte>.Empty, error, completedAt), Delay);
        var stored = await results.GetAsync(failed);
        Assert.NotNull(stored);
        Assert.False(stored.Succeeded);
        Assert.Equal(error, stored.Error);
        Assert.True(stored.Value.IsEmpty);

        await LetTimePassAsync(Delay + TimeSpan.FromMilliseconds(100));

        Assert.Null(await results.GetAsync(failed));
        Assert.Null(await results.WaitAsync(failed, TimeSpan.FromMilliseconds(100)));
        Assert.NotNull(await results.GetAsync(ok));
    }

    public static TheoryData<string> InvalidMessages => ["bad id", "bad queue", "bad actor", "no arguments", "no enqueue time", "attempt 0"];

    [Theory]
    [MemberData(nameof(InvalidMessages))]
    public async Task An_invalid_message_is_refused_alone_or_in_a_batch_and_nothing_is_stored(string defect)
    {
        await using var broker = CreateBroker();
        var queue = TestMessages.Queue();
        var valid = Message(queue);
        var invalid = defect switch
        {
            "bad id" => valid with { Id = "has space" },
            "bad queue" => valid with { Queue = "q{x}" },
            "bad actor" => valid with { Actor = "a\nb" },
            "no arguments" => valid with { Arguments = ReadOnlyMemory<byte>.Empty },
            "no enqueue time" => valid with { EnqueuedAt = default },
            "attempt 0" => valid with { Attempt = 0 },
            _ => throw new ArgumentOutOfRangeException(nameof(defect)),
        };

        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await broker.SendAsync(invalid));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await broker.SendManyAsync([Message(queue), invalid, Message(queue)]));

        await using var consumer = await broker.CreateConsumerAsync(TestMessages.For(queue));
        Assert.Null(await consumer.ReceiveOneAsync(Quiet));
    }

    [Fact]
    public async Task Several_consumers_never_receive_the_same_message()
    {
        await using var broker = CreateBroker();
        var queue = TestMessages.Queue();
        var consumers = new List<ITaskConsumer>();
        for (var i = 0; i < 4; i++)
        {
            consumers.Add(await broker.CreateConsumerAsync(TestMessages.Named("contract-" + i, queue)));
        }

        var dueAt = Time.GetUtcNow() + Delay;
        var sent = Enumerable.Range(0, 40).Select(i => i % 4 == 0 ? Message(queue) with { DueAt = dueAt } : Message(queue)).ToList();
        await broker.SendManyAsync(sent);

        var seen = new ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource();
        var loops = consumers.Select(consumer => Task.Run(async () =>
        {
            var buffer = new TaskDelivery[3];
            try
            {
                while (true)
                {
                    var count = await consumer.ReceiveAsync(buffer, stop.Token);
                    for (var i = 0; i < count; i++)
                    {
                        seen.Enqueue(buffer[i].Message.Id);
                        await consumer.AckAsync(buffer[i]);
                    }
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
        })).ToArray();

        await LetTimePassAsync(Delay);
        await Eventually.UntilAsync(() => seen.Count >= sent.Count, "every message was received", Wait);
        await Task.Delay(Quiet);
        await stop.CancelAsync();
        await Task.WhenAll(loops);
        foreach (var consumer in consumers)
        {
            await consumer.DisposeAsync();
        }

        Assert.Equal(sent.Select(m => m.Id).Order(), seen.Order());
    }

    /// <summary>A valid message stamped with the broker's clock.</summary>
    protected TaskMessage Message(string queue, string argumentsJson = """{"n":1}""") =>
        TestMessages.Create(queue, argumentsJson) with { EnqueuedAt = Time.GetUtcNow() };
}
