using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using StackExchange.Redis;
using TypedTasks.Brokers;
using TypedTasks.Redis.Internal;

namespace TypedTasks.Redis.Tests;

/// <summary>The wire encodings, without a server.</summary>
public sealed class CodecUnitTests
{
    [Fact]
    public void Due_member_round_trips_binary_values_with_colons_and_digits()
    {
        var message = new TaskMessage
        {
            Id = TaskId.NewId(),
            Actor = "12:34",
            Queue = "q",
            Arguments = new byte[] { 0, 58, 49, 50, 58, 255, 10 },
            Attempt = 3,
            EnqueuedAt = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123),
            DueAt = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_100_000),
            Headers = new Dictionary<string, string> { ["k"] = "v:1" },
        };
        var flat = EnvelopeCodec.ToFlat(message);

        var decoded = DueMemberCodec.TryDecode(DueMemberCodec.Encode(flat));

        Assert.NotNull(decoded);
        Assert.Equal(flat.Select(v => (byte[])v!), decoded.Select(v => (byte[])v!));
        var entry = EnvelopeCodec.ToEntries(decoded);
        Assert.True(EnvelopeCodec.TryDecode("q", entry, 1 << 20, out var back, out _, out var error), error?.Message);
        Assert.Equal(message.Actor, back!.Actor);
        Assert.True(message.Arguments.Span.SequenceEqual(back.Arguments.Span));
        Assert.Equal(message.DueAt, back.DueAt);
        Assert.Equal(message.Headers, back.Headers);
        Assert.Equal(3, back.Attempt);
    }

    [Theory]
    [InlineData("")]
    [InlineData("5:abc")]
    [InlineData("x:abc")]
    [InlineData("3:abc")]
    [InlineData("-1:")]
    public void Due_member_decoding_rejects_what_is_not_whole_pairs(string member)
        => Assert.Null(DueMemberCodec.TryDecode(Encoding.UTF8.GetBytes(member)));

    [Fact]
    public void A_unique_key_travels_only_when_a_worker_must_release_it_and_must_follow_the_name_rule()
    {
        var message = new TaskMessage
        {
            Id = TaskId.NewId(),
            Actor = "a",
            Queue = "q",
            Arguments = "{}"u8.ToArray(),
            EnqueuedAt = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123),
            UniqueKey = "report:7",
            ExplicitId = true,
        };

        Assert.True(EnvelopeCodec.TryDecode("q", EnvelopeCodec.ToEntries(EnvelopeCodec.ToFlat(message)), 1024, out var held, out _, out var error), error?.Message);
        Assert.Equal("report:7", held!.UniqueKey);
        Assert.True(held.ReleasesUniqueKey);
        Assert.False(held.ExplicitId);

        var window = EnvelopeCodec.ToFlat(message with { UniqueFor = TimeSpan.FromMinutes(1) });
        Assert.DoesNotContain(window, v => v == Fields.UniqueKey);

        var bad = EnvelopeCodec.ToEntries(EnvelopeCodec.ToFlat(message));
        bad[^1] = new NameValueEntry(Fields.UniqueKey, "has space");
        Assert.False(EnvelopeCodec.TryDecode("q", bad, 1024, out _, out _, out var malformed));
        Assert.Equal(DeadLetterReason.MalformedMessage, malformed!.Reason);
    }

    [Fact]
    public void Envelope_decoding_explains_each_kind_of_bad_entry()
    {
        NameValueEntry[] Entry(params (string Name, RedisValue Value)[] pairs) => pairs.Select(p => new NameValueEntry(p.Name, p.Value)).ToArray();
        var good = Entry(("id", "1"), ("actor", "a"), ("args", "{}"), ("attempt", 1), ("enq", 1_700_000_000_000));

        Assert.True(EnvelopeCodec.TryDecode("q", good, 1024, out _, out _, out _));
        AssertRejected(Entry(("actor", "a"), ("args", "{}"), ("attempt", 1), ("enq", 1)), DeadLetterReason.MalformedMessage, "MissingField");
        AssertRejected(Entry(("id", "1"), ("actor", "a"), ("args", "{}"), ("attempt", 0), ("enq", 1)), DeadLetterReason.MalformedMessage, "InvalidField");
        AssertRejected(Entry(("id", "1"), ("actor", "a"), ("args", "{}"), ("attempt", "1.5"), ("enq", 1)), DeadLetterReason.MalformedMessage, "InvalidField");
        AssertRejected(Entry(("id", "1"), ("actor", "a"), ("args", "{}"), ("attempt", 1), ("enq", "99999999999999999999")), DeadLetterReason.MalformedMessage, "InvalidField");
        AssertRejected(Entry(("id", "1"), ("actor", "a"), ("args", "{}"), ("attempt", 1), ("enq", 1), ("due", "soon")), DeadLetterReason.MalformedMessage, "InvalidField");
        AssertRejected(Entry(("id", "1"), ("actor", "a"), ("args", "{}"), ("attempt", 1), ("enq", 1), ("h", "{\"a\":1}")), DeadLetterReason.MalformedMessage, "InvalidField");
        AssertRejected(Entry(("id", "1"), ("actor", "a"), ("args", new byte[2000]), ("attempt", 1), ("enq", 1)), DeadLetterReason.TooLarge, "PayloadTooLarge");
    }

    [Fact]
    public void Envelope_decoding_reads_byte_array_names_as_the_server_sends_them_and_skips_unknown_fields()
    {
        static RedisValue B(string text) => Encoding.UTF8.GetBytes(text);
        NameValueEntry[] Received(params (string Name, string Value)[] pairs) => pairs.Select(p => new NameValueEntry(B(p.Name), B(p.Value))).ToArray();
        var entry = Received(("id", "01J"), ("future", "x"), ("actor", "send"), ("args", "{\"a\":1}"), ("attempt", "4"),
            ("enq", "1700000000123"), ("due", "1700000100000"), ("h", "{\"k\":\"v\"}"), ("dc", "2"), ("ids", "ignored"));

        Assert.True(EnvelopeCodec.TryDecode("q", entry, 1024, out var message, out var prior, out var error), error?.Message);

        Assert.Equal("01J", message!.Id);
        Assert.Equal("send", message.Actor);
        Assert.Equal("{\"a\":1}", Encoding.UTF8.GetString(message.Arguments.Span));
        Assert.Equal(4, message.Attempt);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123), message.EnqueuedAt);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_100_000), message.DueAt);
        Assert.Equal("v", message.Headers!["k"]);
        Assert.Equal(2, prior);
        AssertRejected(Received(("id", "1"), ("actor", "a"), ("args", "{}"), ("attempt", "2x"), ("enq", "1")), DeadLetterReason.MalformedMessage, "InvalidField");
        AssertRejected(Received(("id", "1"), ("actor", "a"), ("args", "{}"), ("attempt", "1"), ("enq", "")), DeadLetterReason.MalformedMessage, "InvalidField");
        AssertRejected(Received(("id", "1"), ("actor", "a"), ("args", "{}"), ("attempt", "1"), ("enq", "1"), ("dc", "-1")), DeadLetterReason.MalformedMessage, "InvalidField");
    }

    [Fact]
    public void Outcomes_round_trip_through_hash_fields()
    {
        var at = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);
        var failure = new TaskOutcome(false, ReadOnlyMemory<byte>.Empty, new TaskError(DeadLetterReason.Expired, "T", "m", "s"), at);
        var args = new List<RedisValue>();
        ResultCodec.AddFields(args, failure);
        var hash = Enumerable.Range(0, args.Count / 2).Select(i => new HashEntry(args[2 * i], args[(2 * i) + 1])).ToArray();

        var back = ResultCodec.Decode(hash);

        Assert.NotNull(back);
        Assert.False(back.Succeeded);
        Assert.Equal(failure.Error, back.Error);
        Assert.Equal(at, back.CompletedAt);
        Assert.Null(ResultCodec.Decode([]));
    }

    [Fact]
    public void Workflow_outcomes_and_final_states_round_trip_as_one_value_and_garbage_is_refused()
    {
        var at = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123);
        TaskOutcome[] outcomes =
        [
            new(true, new byte[] { 0, 58, 255, (byte)'1', (byte)':' }, null, at),
            new(true, ReadOnlyMemory<byte>.Empty, null, at),
            new(false, ReadOnlyMemory<byte>.Empty, new TaskError(DeadLetterReason.TimeLimitExceeded, "T:1", "a\n\"b\" é", "at X\n"), at),
            new(false, ReadOnlyMemory<byte>.Empty, TaskError.ForCancellation(), at),
        ];
        foreach (var outcome in outcomes)
        {
            var back = WorkflowRecordCodec.DecodeOutcome(WorkflowRecordCodec.EncodeOutcome(outcome), "wf", 0);
            Assert.NotNull(back);
            Assert.Equal(outcome.Succeeded, back.Succeeded);
            Assert.Equal(outcome.Value.ToArray(), back.Value.ToArray());
            Assert.Equal(outcome.Error, back.Error);
            Assert.Equal(outcome.CompletedAt, back.CompletedAt);
        }

        WorkflowFinalState[] finals =
        [
            new(WorkflowState.Succeeded, 12, null),
            new(WorkflowState.Failed, 0, new TaskError(DeadLetterReason.NonRetryable, "Boom", "step: 0", "trace")),
            new(WorkflowState.Cancelled, -1, TaskError.ForCancellation()),
        ];
        foreach (var final in finals)
        {
            Assert.Equal(final, WorkflowRecordCodec.DecodeFinal(WorkflowRecordCodec.EncodeFinal(final), "wf"));
        }

        Assert.Null(WorkflowRecordCodec.DecodeOutcome(RedisValue.Null, "wf", 0));
        Assert.Null(WorkflowRecordCodec.DecodeOutcome(RedisValue.EmptyString, "wf", 0));
        Assert.Null(WorkflowRecordCodec.DecodeFinal(RedisValue.EmptyString, "wf"));
        Assert.Contains("step 3 of workflow wf", Assert.Throws<FormatException>(() => WorkflowRecordCodec.DecodeOutcome("9:x", "wf", 3)).Message);
        Assert.Throws<FormatException>(() => WorkflowRecordCodec.DecodeFinal("2:st1:9", "wf"));
        Assert.Throws<FormatException>(() => WorkflowRecordCodec.DecodeFinal("not encoded", "wf"));
    }

    [Fact]
    public void Options_refuse_a_heartbeat_that_would_let_live_claims_expire()
    {
        var options = new RedisBrokerOptions { ClaimIdleThreshold = TimeSpan.FromSeconds(10), HeartbeatInterval = TimeSpan.FromSeconds(6) };
        Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
    }

    private static void AssertRejected(NameValueEntry[] entry, DeadLetterReason reason, string type)
    {
        Assert.False(EnvelopeCodec.TryDecode("q", entry, 1024, out var message, out _, out var error));
        Assert.Null(message);
        Assert.Equal(reason, error!.Reason);
        Assert.Equal(type, error.Type);
    }
}
