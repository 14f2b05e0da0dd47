using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;

namespace TypedTasks.Testing;

/// <summary>Duplicate sends: a sender-chosen id is stored once per queue, a unique key has one holder at a time, and
/// the check is atomic with the enqueue.</summary>
public abstract partial class BrokerContract
{
    /// <summary>Another broker on the same store through a connection of its own (another producer process); the
    /// in-memory broker has no connection, so its runner returns the same broker.</summary>
    protected abstract Task<ITaskBroker> CreatePeerAsync(ITaskBroker broker);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_same_chosen_task_id_sent_twice_is_stored_once(bool delayed)
    {
        await using var broker = CreateBroker();
        var queue = TestMessages.Queue();
        var first = Message(queue) with { ExplicitId = true, DueAt = delayed ? Time.GetUtcNow() + Delay : null };
        var again = first with { Arguments = "{\"n\":2}"u8.ToArray(), DueAt = null };

        Assert.Null(await broker.SendAsync(first));
        Assert.Equal(first.Id, await broker.SendAsync(again));
        Assert.Equal(first.Id, (await broker.SendManyAsync([again]))?.Single());

        await using var consumer = await broker.CreateConsumerAsync(TestMessages.For(queue));
        if (delayed)
        {
            await LetTimePassAsync(Delay);
        }

        var delivery = await consumer.ReceiveOneAsync(Wait);
        Assert.Equal(first.Id, delivery?.Message.Id);
        Assert.Equal("{\"n\":1}", System.Text.Encoding.UTF8.GetString(delivery!.Message.Arguments.Span));
        await consumer.AckAsync(delivery);
        Assert.Null(await consumer.ReceiveOneAsync(Quiet));

        // Finishing does not forget the id: the window is DuplicateWindow after it was due, not the run.
        Assert.Equal(first.Id, await broker.SendAsync(again));
    }

    [Fact]
    public async Task A_plain_send_of_the_same_id_is_not_checked()
    {
        await using var broker = CreateBroker();
        var queue = TestMessages.Queue();
        var message = Message(queue);

        Assert.Null(await broker.SendAsync(message));
        Assert.Null(await broker.SendAsync(message));

        await using var consumer = await broker.CreateConsumerAsync(TestMessages.For(queue));
        Assert.Equal(2, (await consumer.ReceiveManyAsync(2, Wait)).Count);
    }

    [Fact]
    public async Task A_unique_key_is_held_until_its_task_is_settled_for_good_then_free_again()
    {
        await using var broker = CreateBroker();
        var queue = TestMessages.Queue();
        var holder = Message(queue) with { UniqueKey = "report:7" };
        var duplicate = Message(queue) with { UniqueKey = "report:7" };
        var otherKey = Message(queue) with { UniqueKey = "report:8" };
        var otherQueue = Message(TestMessages.Queue()) with { UniqueKey = "report:7" };

        Assert.Null(await broker.SendAsync(holder));
        Assert.Equal(holder.Id, await broker.SendAsync(duplicate));
        Assert.Null(await broker.SendAsync(otherKey));
        Assert.Null(await broker.SendAsync(otherQueue));

        await using var consumer = await broker.CreateConsumerAsync(TestMessages.For(queue));
        var deliveries = await consumer.ReceiveManyAsync(2, Wait);
        Assert.Equal([holder.Id, otherKey.Id], deliveries.Select(d => d.Message.Id));
        Assert.Equal("report:7", deliveries[0].Message.UniqueKey);

        // A retry keeps the key.
        await consumer.RetryAsync(deliveries[0], deliveries[0].Message with { Attempt = 2, DueAt = null });
        Assert.Equal(holder.Id, await broker.SendAsync(duplicate));
        var retry = await consumer.ReceiveOneAsync(Wait);
        Assert.Equal(holder.Id, retry?.Message.Id);

        // The ack releases it; a dead letter does too.
        await consumer.AckAsync(retry!);
        Assert.Null(await broker.SendAsync(duplicate));
        await consumer.DeadLetterAsync(deliveries[1], new TaskError(DeadLetterReason.NonRetryable, "X", "no"));
        var next = Message(queue) with { UniqueKey = "report:8" };
        Assert.Null(await broker.SendAsync(next));
        Assert.Equal(next.Id, await broker.SendAsync(Message(queue) with { UniqueKey = "report:8" }));
    }

    [Fact]
    public async Task A_unique_window_holds_the_key_for_its_time_even_after_the_task_finished()
    {
        await using var broker = CreateBroker();
        var queue = TestMessages.Queue();
        var first = Message(queue) with { UniqueKey = "daily", UniqueFor = Delay };

        Assert.Null(await broker.SendAsync(first));
        await using var consumer = await broker.CreateConsumerAsync(TestMessages.For(queue));
        var delivery = await consumer.ReceiveOneAsync(Wait);
        Assert.Null(delivery!.Message.UniqueKey); // not released by a worker: nothing to carry
        await consumer.AckAsync(delivery);
        Assert.Equal(first.Id, await broker.SendAsync(Message(queue) with { UniqueKey = "daily", UniqueFor = Delay }));

        await LetTimePassAsync(Delay + TimeSpan.FromMilliseconds(150));

        Assert.Null(await broker.SendAsync(Message(queue) with { UniqueKey = "daily", UniqueFor = Delay }));
    }

    [Fact]
    public async Task Send_many_checks_each_message_and_keeps_the_order_of_the_stored_ones()
    {
        await using var broker = CreateBroker();
        var queue = TestMessages.Queue();
        var plain = Message(queue);
        var unique = Message(queue) with { UniqueKey = "k" };
        var sameKey = Message(queue) with { UniqueKey = "k" };
        var chosen = Message(queue) with { ExplicitId = true };
        var sameId = chosen with { };
        var last = Message(queue);
        var delayedUnique = Message(queue) with { UniqueKey = "later", DueAt = Time.GetUtcNow() + Delay };

        var existing = await broker.SendManyAsync([plain, unique, sameKey, chosen, sameId, last, delayedUnique]);

        Assert.NotNull(existing);
        Assert.Equal([null, null, unique.Id, null, chosen.Id, null, null], existing);
        Assert.Null(await broker.SendManyAsync([Message(queue)]));
        Assert.Equal(delayedUnique.Id, await broker.SendAsync(Message(queue) with { UniqueKey = "later" }));
        await using var consumer = await broker.CreateConsumerAsync(TestMessages.For(queue));
        var received = await consumer.ReceiveManyAsync(5, Wait);
        Assert.Equal([plain.Id, unique.Id, chosen.Id, last.Id], received.Take(4).Select(d => d.Message.Id));
    }

    [Fact]
    public async Task Concurrent_sends_from_several_producers_store_one_task_per_key()
    {
        var seed = Environment.TickCount;
        var random = new Random(seed);
        await using var broker = CreateBroker();
        var queue = TestMessages.Queue();
        var peers = new List<ITaskBroker> { broker };
        for (var i = 0; i < 3; i++)
        {
            peers.Add(await CreatePeerAsync(broker));
        }

        try
        {
            // A mix of unique keys and chosen ids, due now or later, sent at once from every producer.
            var sends = new List<(TaskMessage Message, string Key, ITaskBroker Via)>();
            var chosenIds = Enumerable.Range(0, 4).Select(_ => TaskId.NewId()).ToArray();
            for (var i = 0; i < 48; i++)
            {
                var due = random.Next(3) == 0 ? Time.GetUtcNow() + Delay : (DateTimeOffset?)null;
                var via = peers[random.Next(peers.Count)];
                if (random.Next(2) == 0)
                {
                    var key = "key" + random.Next(5);
                    sends.Add((Message(queue) with { UniqueKey = key, DueAt = due }, key, via));
                }
                else
                {
                    var id = chosenIds[random.Next(chosenIds.Length)];
                    sends.Add((Message(queue) with { Id = id, ExplicitId = true, DueAt = due }, "id:" + id, via));
                }
            }

            var answers = await Task.WhenAll(sends.Select(s => s.Via.SendAsync(s.Message).AsTask()));

            var storedByKey = new Dictionary<string, string>();
            for (var i = 0; i < sends.Count; i++)
            {
                if (answers[i] is null)
                {
                    Assert.True(storedByKey.TryAdd(sends[i].Key, sends[i].Message.Id), $"two sends stored for {sends[i].Key} (seed {seed})");
                }
            }

            for (var i = 0; i < sends.Count; i++)
            {
                Assert.True(storedByKey.TryGetValue(sends[i].Key, out var stored), $"nothing stored for {sends[i].Key} (seed {seed})");
                Assert.True(answers[i] is null || answers[i] == stored, $"send {i} named {answers[i]}, not the stored {stored} (seed {seed})");
            }

            await LetTimePassAsync(Delay);
            await using var consumer = await broker.CreateConsumerAsync(TestMessages.For(queue));
            var received = await consumer.ReceiveManyAsync(storedByKey.Count, Wait);
            Assert.Null(await consumer.ReceiveOneAsync(Quiet));
            Assert.True(
                storedByKey.Values.Order().SequenceEqual(received.Select(d => d.Message.Id).Order()),
                $"received {received.Count} tasks for {storedByKey.Count} keys (seed {seed})");
        }
        finally
        {
            foreach (var peer in peers.Skip(1).Where(p => !ReferenceEquals(p, broker)))
            {
                await peer.DisposeAsync();
            }
        }
    }
}
