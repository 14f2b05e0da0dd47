using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using StackExchange.Redis;
using TypedTasks.Brokers;
using TypedTasks.Redis.Internal;
using TypedTasks.Redis.Tests.Infrastructure;

namespace TypedTasks.Redis.Tests;

/// <summary>
/// What only the Redis broker has: its keys (stream, pending list, due set), size limits, entries it cannot decode and
/// dead-letter trimming, on a single server and on a three-master Cluster. The behaviour every broker shares is
/// <see cref="BrokerContract"/>'s (see <c>RedisBrokerContractTests</c>).
/// </summary>
public abstract class RedisBrokerLayoutTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    protected RedisBrokerLayoutTests(RedisTarget target) => Target = target;

    protected RedisTarget Target { get; }

    private IDatabase Db => Target.Db;

    [Fact]
    public async Task Round_trip_delivers_the_envelope_and_ack_deletes_the_entry()
    {
        await using var broker = Target.CreateBroker();
        var queue = TestMessages.Queue();
        var keys = new QueueKeys(broker.Options.KeyPrefix, queue);
        await using var consumer = await broker.CreateConsumerAsync(TestMessages.For(queue));
        var sent = TestMessages.Create(queue, """{"to":"a@b.c","n":[1,2,3],"s":"é:ü"}""") with
        {
            Headers = new Dictionary<string, string> { ["traceparent"] = "00-abc-def-01", ["x"] = "y\"z" },
        };

        await broker.SendAsync(sent);
        var delivery = await consumer.ReceiveOneAsync(Wait);

        Assert.NotNull(delivery);
        var got = delivery.Message;
        Assert.Equal(sent.Id, got.Id);
        Assert.Equal(sent.Actor, got.Actor);
        Assert.Equal(queue, got.Queue);
        Assert.True(sent.Arguments.Span.SequenceEqual(got.Arguments.Span));
        Assert.Equal(1, got.Attempt);
        Assert.Equal(sent.EnqueuedAt.ToUnixTimeMilliseconds(), got.EnqueuedAt.ToUnixTimeMilliseconds());
        Assert.Null(got.DueAt);
        Assert.Equal(sent.Headers, got.Headers);
        Assert.Equal(1, delivery.DeliveryCount);
        Assert.Equal(1, (await Db.StreamPendingAsync(keys.Stream, broker.Options.ConsumerGroup)).PendingMessageCount);

        await consumer.AckAsync(delivery);

        Assert.Equal(0, await Db.StreamLengthAsync(keys.Stream));
        Assert.Equal(0, (await Db.StreamPendingAsync(keys.Stream, broker.Options.ConsumerGroup)).PendingMessageCount);
    }

    [Fact]
    public async Task Send_many_writes_a_long_batch_in_order_across_chunks_with_mixed_envelopes()
    {
        await using var broker = Target.CreateBroker();
        var (queue, other) = (TestMessages.Queue(), TestMessages.Queue());
        var keys = new QueueKeys(broker.Options.KeyPrefix, queue);
        var later = DateTimeOffset.UtcNow.AddHours(1);
        // 1,203 immediate messages: more than two script calls' worth. Every seventh carries headers, so the
        // envelopes have different field counts within one call; two due-later ones and another queue ride along.
        var batch = new List<TaskMessage>();
        for (var i = 0; i < 1203; i++)
        {
            var message = TestMessages.Create(queue, $$"""{"i":{{i}}}""");
            batch.Add(i % 7 == 0 ? message with { Headers = new Dictionary<string, string> { ["n"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) } } : message);
            if (i is 10 or 900)
            {
                batch.Add(TestMessages.Create(queue, dueAt: later));
                batch.Add(TestMessages.Create(other));
            }
        }

        await broker.SendManyAsync(batch);

        var immediate = batch.Where(m => m.Queue == queue && m.DueAt is null).ToList();
        Assert.Equal(immediate.Count, await Db.StreamLengthAsync(keys.Stream));
        Assert.Equal(2, await Db.SortedSetLengthAsync(keys.Due));
        Assert.Equal(2, await Db.StreamLengthAsync(new QueueKeys(broker.Options.KeyPrefix, other).Stream));
        await using var consumer = await broker.CreateConsumerAsync(TestMessages.For(queue));
        var received = await consumer.ReceiveManyAsync(immediate.Count, Wait);
        Assert.Equal(immediate.Select(m => m.Id), received.Select(d => d.Message.Id));
        Assert.Equal(immediate.Select(m => m.Headers?["n"]), received.Select(d => d.Message.Headers?["n"]));
        Assert.Equal("{\"i\":1202}", Encoding.UTF8.GetString(received[^1].Message.Arguments.Span));
    }

    [Fact]
    public async Task Send_many_with_one_oversized_message_writes_nothing()
    {
        await using var broker = Target.CreateBroker();
        var queue = TestMessages.Queue();
        var keys = new QueueKeys(broker.Options.KeyPrefix, queue);
        var tooLarge = TestMessages.Create(queue, "\"" + new string('x', broker.Options.MaxPayloadBytes) + "\"");

        await Assert.ThrowsAsync<ArgumentException>(async () => await broker.SendManyAsync([TestMessages.Create(queue), tooLarge, TestMessages.Create(queue)]));

        Assert.Equal(0, await Db.StreamLengthAsync(keys.Stream));
    }

    [Fact]
    public async Task Delayed_messages_are_promoted_exactly_once_with_four_consumers_promoting()
    {
        await using var broker = Target.CreateBroker();
        var queue = TestMessages.Queue();
        var keys = new QueueKeys(broker.Options.KeyPrefix, queue);
        var consumers = new List<ITaskConsumer>();
        for (var i = 0; i < 4; i++)
        {
            consumers.Add(await broker.CreateConsumerAsync(TestMessages.For(queue)));
        }

        var due = DateTimeOffset.UtcNow.AddMilliseconds(800);
        var delayed = Enumerable.Range(0, 40).Select(_ => TestMessages.Create(queue, dueAt: due)).ToList();
        await broker.SendManyAsync(delayed);
        Assert.Equal(40, await Db.SortedSetLengthAsync(keys.Due));
        Assert.Equal(0, await Db.StreamLengthAsync(keys.Stream));

        var seen = new ConcurrentBag<(string Id, DateTimeOffset At)>();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(4));
        var loops = consumers.Select(c => Task.Run(async () =>
        {
            var buffer = new TaskDelivery[8];
            try
            {
                while (true)
                {
                    var n = await c.ReceiveAsync(buffer, stop.Token);
                    for (var i = 0; i < n; i++)
                    {
                        seen.Add((buffer[i].Message.Id, DateTimeOffset.UtcNow));
                        await c.AckAsync(buffer[i]);
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        })).ToArray();
        await Task.WhenAll(loops);

        Assert.Equal(delayed.Select(m => m.Id).Order(), seen.Select(s => s.Id).Order());
        Assert.All(seen, s => Assert.True(s.At >= due.AddMilliseconds(-5), $"{s.Id} ran {(due - s.At).TotalMilliseconds} ms early"));
        Assert.Equal(0, await Db.SortedSetLengthAsync(keys.Due));
        Assert.Equal(0, await Db.StreamLengthAsync(keys.Stream));
        foreach (var consumer in consumers)
        {
            await consumer.DisposeAsync();
        }
    }

    [Fact]
    public async Task Retry_atomically_moves_the_next_attempt_into_the_due_set_and_promotes_it_when_due()
    {
        await using var broker = Target.CreateBroker();
        var queue = TestMessages.Queue();
        var keys = new QueueKeys(broker.Options.KeyPrefix, queue);
        await using var consumer = await broker.CreateConsumerAsync(TestMessages.For(queue));
        await broker.SendAsync(TestMessages.Create(queue));
        var first = await consumer.ReceiveOneAsync(Wait);
        Assert.NotNull(first);

        var due = DateTimeOffset.UtcNow.AddMilliseconds(700);
        var next = first.Message with { Attempt = 2, DueAt = due };
        await consumer.RetryAsync(first, next);

        // One step: the current entry is gone (acked and deleted) and the next attempt waits in the due set.
        Assert.Equal(0, await Db.StreamLengthAsync(keys.Stream));
        Assert.Equal(0, (await Db.StreamPendingAsync(keys.Stream, broker.Options.ConsumerGroup)).PendingMessageCount);
        var scheduled = await Db.SortedSetRangeByRankWithScoresAsync(keys.Due);
        var member = Assert.Single(scheduled);
        Assert.Equal(due.ToUnixTimeMilliseconds(), (long)member.Score);
        var fields = DueMemberCodec.TryDecode((byte[])member.Element!);
        Assert.NotNull(fields);
        Assert.Contains("attempt", fields.Select(f => (string)f!));
        Assert.Equal("2", (string)fields[fields.FindIndex(f => f == "attempt") + 1]!);

        var second = await consumer.ReceiveOneAsync(Wait);
        Assert.NotNull(second);
        Assert.True(DateTimeOffset.UtcNow >= due.AddMilliseconds(-5), "the retry ran before its backoff ended");
        Assert.Equal(first.Message.Id, second.Message.Id);
        Assert.Equal(2, second.Message.Attempt);
        Assert.Equal(due.ToUnixTimeMilliseconds(), second.Message.DueAt?.ToUnixTimeMilliseconds());
        await consumer.AckAsync(second);
        Assert.Equal(0, await Db.SortedSetLengthAsync(keys.Due));
    }

    [Fact]
    public async Task Retry_due_now_goes_straight_back_to_the_stream()
    {
        await using var broker = Target.CreateBroker();
        var queue = TestMessages.Queue();
        var keys = new QueueKeys(broker.Options.KeyPrefix, queue);
        await using var consumer = await broker.CreateConsumerAsync(TestMessages.For(queue));
        await broker.SendAsync(TestMessages.Create(queue));
        var first = await consumer.ReceiveOneAsync(Wait);
        Assert.NotNull(first);

        await consumer.RetryAsync(first, first.Message with { Attempt = 2, DueAt = null });

        Assert.Equal(0, await Db.SortedSetLengthAsync(keys.Due));
        var second = await consumer.ReceiveOneAsync(Wait);
        Assert.NotNull(second);
        Assert.Equal(2, second.Message.Attempt);
        Assert.NotEqual(first.DeliveryId, second.DeliveryId);
    }

    [Fact]
    public async Task Undecodable_entries_are_dead_lettered_with_their_raw_fields_and_consumption_goes_on()
    {
        await using var broker = Target.CreateBroker(o => new RedisBrokerOptions
        {
            KeyPrefix = o.KeyPrefix, ClaimIdleThreshold = o.ClaimIdleThreshold, HeartbeatInterval = o.HeartbeatInterval,
            PollInterval = o.PollInterval, MaxPayloadBytes = 2048,
        });
        var queue = TestMessages.Queue();
        var keys = new QueueKeys(broker.Options.KeyPrefix, queue);
        await using var consumer = await broker.CreateConsumerAsync(TestMessages.For(queue));
        var enq = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        await Db.StreamAddAsync(keys.Stream, [new("id", "missing-actor"), new("args", "{}"), new("attempt", 1), new("enq", enq)]);
        await Db.StreamAddAsync(keys.Stream, [new("id", "bad-attempt"), new("actor", "a"), new("args", "{}"), new("attempt", "abc"), new("enq", enq)]);
        await Db.StreamAddAsync(keys.Stream, [new("id", "bad-enq"), new("actor", "a"), new("args", "{}"), new("attempt", 1), new("enq", "yesterday")]);
        await Db.StreamAddAsync(keys.Stream, [new("id", "bad-headers"), new("actor", "a"), new("args", "{}"), new("attempt", 1), new("enq", enq), new("h", "[1,2]")]);
        await Db.StreamAddAsync(keys.Stream, [new("id", "too-large"), new("actor", "a"), new("args", new byte[4096]), new("attempt", 1), new("enq", enq)]);
        // A due-later member someone wrote by hand that is not in the "<len>:<bytes>" format.
        await Db.SortedSetAddAsync(keys.Due, "garbage-member", enq - 1000);
        var good = TestMessages.Create(queue);
        await broker.SendAsync(good);

        var delivery = await consumer.ReceiveOneAsync(Wait);

        Assert.NotNull(delivery);
        Assert.Equal(good.Id, delivery.Message.Id);
        await consumer.AckAsync(delivery);

        // The consumer keeps going: the promoted garbage member sits behind the good message, this one behind both.
        var later = TestMessages.Create(queue);
        await broker.SendAsync(later);
        var laterDelivery = await consumer.ReceiveOneAsync(Wait);
        Assert.Equal(later.Id, laterDelivery?.Message.Id);
        await consumer.AckAsync(laterDelivery!);

        var letters = await broker.DeadLetters.ListAsync(queue);
        Assert.Equal(6, letters.Count);
        var byId = letters.Where(l => l.RawFields?.ContainsKey("id") == true || l.Message is not null)
            .ToDictionary(l => l.Message?.Id ?? l.RawFields!["id"]);

        Assert.Equal(DeadLetterReason.MalformedMessage, byId["missing-actor"].Error.Reason);
        Assert.Equal("MissingField", byId["missing-actor"].Error.Type);
        Assert.Equal("{}", byId["missing-actor"].RawFields!["args"]);
        Assert.Equal(DeadLetterReason.MalformedMessage, byId["bad-attempt"].Error.Reason);
        Assert.Equal("abc", byId["bad-attempt"].RawFields!["attempt"]);
        Assert.Equal(DeadLetterReason.MalformedMessage, byId["bad-enq"].Error.Reason);
        Assert.Equal("yesterday", byId["bad-enq"].RawFields!["enq"]);
        Assert.Equal(DeadLetterReason.MalformedMessage, byId["bad-headers"].Error.Reason);
        Assert.Equal("[1,2]", byId["bad-headers"].RawFields!["h"]);
        Assert.Equal(DeadLetterReason.TooLarge, byId["too-large"].Error.Reason);
        Assert.Equal(4096, byId["too-large"].Message!.Arguments.Length);
        var garbage = Assert.Single(letters, l => l.RawFields?.ContainsKey("raw") == true);
        Assert.Equal("garbage-member", garbage.RawFields!["raw"]);
        Assert.Equal(DeadLetterReason.MalformedMessage, garbage.Error.Reason);

        // Nothing is left pending, in the stream or in the due set.
        Assert.Equal(0, await Db.StreamLengthAsync(keys.Stream));
        Assert.Equal(0, await Db.SortedSetLengthAsync(keys.Due));
        Assert.Equal(0, (await Db.StreamPendingAsync(keys.Stream, broker.Options.ConsumerGroup)).PendingMessageCount);
    }

    [Fact]
    public async Task Sending_an_oversized_message_throws_and_stores_nothing()
    {
        await using var broker = Target.CreateBroker(o => new RedisBrokerOptions { KeyPrefix = o.KeyPrefix, MaxPayloadBytes = 1024 });
        var queue = TestMessages.Queue();
        var keys = new QueueKeys(broker.Options.KeyPrefix, queue);

        await Assert.ThrowsAsync<ArgumentException>(async () => await broker.SendAsync(TestMessages.Create(queue, "\"" + new string('x', 2000) + "\"")));

        Assert.Equal(0, await Db.StreamLengthAsync(keys.Stream));
    }

    [Fact]
    public async Task Dead_letter_keeps_the_error_and_the_message_and_can_be_requeued_once()
    {
        await using var broker = Target.CreateBroker();
        var queue = TestMessages.Queue();
        var keys = new QueueKeys(broker.Options.KeyPrefix, queue);
        await using var consumer = await broker.CreateConsumerAsync(TestMessages.For(queue));
        var sent = TestMessages.Create(queue, actor: "no.such.actor");
        await broker.SendAsync(sent);
        var delivery = await consumer.ReceiveOneAsync(Wait);
        Assert.NotNull(delivery);
        var failedAt = DateTimeOffset.UtcNow;

        await consumer.DeadLetterAsync(delivery, new TaskError(DeadLetterReason.UnknownActor, "UnknownActor", "No actor 'no.such.actor'."));

        Assert.Equal(0, await Db.StreamLengthAsync(keys.Stream));
        Assert.Equal(0, (await Db.StreamPendingAsync(keys.Stream, broker.Options.ConsumerGroup)).PendingMessageCount);
        var letter = Assert.Single(await broker.DeadLetters.ListAsync(queue));
        Assert.Equal(DeadLetterReason.UnknownActor, letter.Error.Reason);
        Assert.Equal("No actor 'no.such.actor'.", letter.Error.Message);
        Assert.Null(letter.Error.StackTrace);
        Assert.Equal(sent.Id, letter.Message?.Id);
        Assert.True(sent.Arguments.Span.SequenceEqual(letter.Message!.Arguments.Span));
        Assert.Null(letter.RawFields);
        Assert.InRange(letter.DeadLetteredAt, failedAt.AddSeconds(-5), failedAt.AddSeconds(5));

        Assert.True(await broker.DeadLetters.RequeueAsync(queue, letter.Id));
        Assert.False(await broker.DeadLetters.RequeueAsync(queue, letter.Id));
        Assert.Empty(await broker.DeadLetters.ListAsync(queue));
        var again = await consumer.ReceiveOneAsync(Wait);
        Assert.NotNull(again);
        Assert.Equal(sent.Id, again.Message.Id);
        Assert.Equal(1, again.Message.Attempt);
    }

    [Fact]
    public async Task Dead_letters_are_bounded_by_length_and_age()
    {
        await using var broker = Target.CreateBroker(o => new RedisBrokerOptions
        {
            KeyPrefix = o.KeyPrefix, ClaimIdleThreshold = o.ClaimIdleThreshold, HeartbeatInterval = o.HeartbeatInterval,
            PollInterval = o.PollInterval, DeadLetterMaxLength = 3, DeadLetterMaxAge = TimeSpan.FromMilliseconds(1000),
        });
        var queue = TestMessages.Queue();
        await using var consumer = await broker.CreateConsumerAsync(TestMessages.For(queue));
        var sent = Enumerable.Range(0, 6).Select(_ => TestMessages.Create(queue)).ToList();
        await broker.SendManyAsync(sent);
        var deliveries = await consumer.ReceiveManyAsync(6, Wait);
        var error = new TaskError(DeadLetterReason.NonRetryable, "E", "e");

        for (var i = 0; i < 5; i++)
        {
            await consumer.DeadLetterAsync(deliveries[i], error);
        }

        Assert.Equal(deliveries.Skip(2).Take(3).Select(d => d.Message.Id), (await broker.DeadLetters.ListAsync(queue)).Select(l => l.Message?.Id));

        await Task.Delay(1300);
        await consumer.DeadLetterAsync(deliveries[5], error);

        var left = Assert.Single(await broker.DeadLetters.ListAsync(queue));
        Assert.Equal(deliveries[5].Message.Id, left.Message?.Id);
    }
}

[Collection(StandaloneCollection.Name)]
public sealed class StandaloneBrokerLayoutTests(StandaloneRedis redis) : RedisBrokerLayoutTests(redis);

[Collection(ClusterCollection.Name)]
public sealed class ClusterBrokerLayoutTests(ClusterRedis redis) : RedisBrokerLayoutTests(redis);
