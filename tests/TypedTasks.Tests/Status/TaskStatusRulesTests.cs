using System;
using TypedTasks.Brokers;

namespace TypedTasks.Tests.Status;

public sealed class TaskStatusRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(DeadLetterReason.RetriesExhausted, TaskState.Failed)]
    [InlineData(DeadLetterReason.NonRetryable, TaskState.Failed)]
    [InlineData(DeadLetterReason.TimeLimitExceeded, TaskState.Failed)]
    [InlineData(DeadLetterReason.Expired, TaskState.DeadLettered)]
    [InlineData(DeadLetterReason.UnknownActor, TaskState.DeadLettered)]
    [InlineData(DeadLetterReason.InvalidArguments, TaskState.DeadLettered)]
    [InlineData(DeadLetterReason.MalformedMessage, TaskState.DeadLettered)]
    [InlineData(DeadLetterReason.TooLarge, TaskState.DeadLettered)]
    [InlineData(DeadLetterReason.Cancelled, TaskState.Cancelled)]
    public void A_failed_outcome_s_reason_decides_its_state(DeadLetterReason reason, TaskState expected)
    {
        var outcome = new TaskOutcome(false, ReadOnlyMemory<byte>.Empty, new TaskError(reason, "T", "m"), Now);

        Assert.Equal(expected, TaskStatusRules.StateOf(outcome));
    }

    [Fact]
    public void Every_reason_has_a_state()
    {
        foreach (var reason in Enum.GetValues<DeadLetterReason>())
        {
            Assert.Contains(TaskStatusRules.StateOf(new TaskError(reason, "T", "m")), new[] { TaskState.Failed, TaskState.DeadLettered, TaskState.Cancelled });
        }
    }

    [Fact]
    public void An_outcome_outranks_whatever_was_recorded()
    {
        var recorded = new TaskStatusInfo("t", TaskState.Running) { Attempt = 2, Worker = "w", UpdatedAt = Now.AddSeconds(-5) };
        var outcome = new TaskOutcome(true, ReadOnlyMemory<byte>.Empty, null, Now);

        var status = TaskStatusRules.Combine("t", recorded, outcome, Now);

        Assert.Equal(TaskState.Succeeded, status.State);
        Assert.Equal(2, status.Attempt);
        Assert.Equal("w", status.Worker);
        Assert.Equal(Now, status.CompletedAt);
        Assert.Equal(Now, status.UpdatedAt);
    }

    [Fact]
    public void Scheduled_reads_as_queued_once_due()
    {
        var scheduled = new TaskStatusInfo("t", TaskState.Scheduled) { NextAttemptAt = Now };

        Assert.Equal(TaskState.Scheduled, TaskStatusRules.Combine("t", scheduled, null, Now.AddTicks(-1)).State);
        Assert.Equal(TaskState.Queued, TaskStatusRules.Combine("t", scheduled, null, Now).State);
        Assert.Equal(TaskState.Unknown, TaskStatusRules.Combine("t", null, null, Now).State);
    }

    [Fact]
    public void Ranks_order_attempts_and_keep_terminal_states_final()
    {
        int Rank(TaskState state, int attempt) => TaskStatusRules.Rank(new TaskStatusUpdate(state, Now) { Attempt = attempt });

        Assert.True(Rank(TaskState.Queued, 0) < Rank(TaskState.Running, 1));
        Assert.True(Rank(TaskState.Running, 1) < Rank(TaskState.Retrying, 1));
        Assert.True(Rank(TaskState.Retrying, 1) < Rank(TaskState.Running, 2));
        Assert.True(TaskStatusRules.Accepts(Rank(TaskState.Running, 1), Rank(TaskState.Running, 1)));
        Assert.False(TaskStatusRules.Accepts(Rank(TaskState.Retrying, 1), Rank(TaskState.Running, 1)));
        Assert.False(TaskStatusRules.Accepts(TaskStatusRules.TerminalRank, Rank(TaskState.Succeeded, 1)));
        Assert.Throws<ArgumentException>(() => Rank(TaskState.Unknown, 0));
    }
}
