using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;
using TypedTasks.Generated;
using TypedTasks.Tests.Support;

namespace TypedTasks.Tests.Worker;

/// <summary>Backoff and time limits on a fake clock: every due time is asserted exactly.</summary>
public sealed class RetryTimingTests
{
    [Theory]
    [InlineData(1, 0.0, 7.5)]
    [InlineData(1, 1.0, 15)]
    [InlineData(2, 1.0, 30)]
    [InlineData(3, 0.5, 45)]
    [InlineData(4, 1.0, 100)]
    [InlineData(5, 0.0, 50)]
    [InlineData(int.MaxValue, 1.0, 100)]
    [InlineData(2, 7.0, 30)]
    [InlineData(2, -3.0, 15)]
    public void Backoff_doubles_per_attempt_with_equal_jitter_and_respects_the_cap(int failedAttempt, double jitter, double expectedSeconds)
    {
        var delay = RetryBackoff.Compute(failedAttempt, TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(100), jitter);

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), delay);
    }

    [Fact]
    public async Task Each_retry_is_due_after_the_backoff_and_the_last_failure_is_dead_lettered()
    {
        var time = new FakeTimeProvider();
        await using var broker = new InMemoryBroker(time);
        var actor = TestActor.Failing("flaky", () => new InvalidOperationException("down"), new ActorOptions
        {
            MaxRetries = 4,
            MinBackoff = TimeSpan.FromSeconds(15),
            MaxBackoff = TimeSpan.FromSeconds(60),
        });
        var options = new WorkerOptions { TimeProvider = time, Jitter = static () => 1.0 };
        await using var worker = new TaskWorker(broker, new ActorRegistry([actor]), options);
        await worker.StartAsync();
        await broker.CreateClient().SendAsync(TestMessages.Create("flaky"));

        TimeSpan[] expectedDelays = [TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(60)];
        for (var i = 0; i < expectedDelays.Length; i++)
        {
            var attempt = i + 2;
            await broker.WaitUntilAsync(b => b.GetScheduledMessages() is [{ } m] && m.Attempt == attempt, $"attempt {attempt} was scheduled");
            var scheduled = broker.GetScheduledMessages()[0];
            Assert.Equal(time.GetUtcNow() + expectedDelays[i], scheduled.DueAt);

            time.Advance(expectedDelays[i] - TimeSpan.FromTicks(1));
            Assert.Equal(1, broker.GetScheduledCount());
            time.Advance(TimeSpan.FromTicks(1));
        }

        await broker.WaitUntilAsync(b => b.GetDeadLetters().Count == 1, "the last attempt was dead-lettered");
        Assert.Equal(5, actor.Invocations);
        Assert.Equal(5, broker.GetDeadLetters()[0].Message!.Attempt);
        Assert.Equal(DeadLetterReason.RetriesExhausted, broker.GetDeadLetters()[0].Error.Reason);
    }

    [Fact]
    public async Task A_zero_jitter_retry_is_due_after_half_the_backoff()
    {
        var time = new FakeTimeProvider();
        await using var broker = new InMemoryBroker(time);
        var actor = TestActor.Failing("flaky", () => new InvalidOperationException("down"));
        var options = new WorkerOptions { TimeProvider = time, Jitter = static () => 0.0, DefaultMinBackoff = TimeSpan.FromSeconds(20) };
        await using var worker = new TaskWorker(broker, new ActorRegistry([actor]), options);
        await worker.StartAsync();
        await broker.CreateClient().SendAsync(TestMessages.Create("flaky"));

        await broker.WaitUntilAsync(b => b.GetScheduledCount() == 1, "the retry was scheduled");

        Assert.Equal(time.GetUtcNow() + TimeSpan.FromSeconds(10), broker.GetScheduledMessages()[0].DueAt);
    }

    [Fact]
    public async Task A_time_limit_cancels_the_attempt_which_is_retried_and_finally_dead_lettered_as_time_limit_exceeded()
    {
        var time = new FakeTimeProvider();
        await using var broker = new InMemoryBroker(time);
        var started = new SemaphoreSlim(0);
        var sawCancellation = 0;
        var actor = new TestActor(
            "slow",
            async invocation =>
            {
                started.Release();
                try
                {
                    await Task.Delay(Timeout.Infinite, invocation.CancellationToken);
                }
                catch (OperationCanceledException)
                {
                    Interlocked.Increment(ref sawCancellation);
                    throw;
                }
            },
            new ActorOptions { TimeLimit = TimeSpan.FromSeconds(10), MaxRetries = 1, MinBackoff = TimeSpan.FromSeconds(15) });
        var options = new WorkerOptions { TimeProvider = time, Jitter = static () => 1.0 };
        await using var worker = new TaskWorker(broker, new ActorRegistry([actor]), options);
        await worker.StartAsync();
        await broker.CreateClient().SendAsync(TestMessages.Create("slow"));

        await started.WaitAsync(BrokerWaits.Generous);
        time.Advance(TimeSpan.FromSeconds(10));
        await broker.WaitUntilAsync(b => b.GetScheduledCount() == 1, "the timed-out attempt was scheduled for retry");
        Assert.Equal(1, Volatile.Read(ref sawCancellation));
        Assert.Equal(2, broker.GetScheduledMessages()[0].Attempt);
        Assert.Equal(time.GetUtcNow() + TimeSpan.FromSeconds(15), broker.GetScheduledMessages()[0].DueAt);

        time.Advance(TimeSpan.FromSeconds(15));
        await started.WaitAsync(BrokerWaits.Generous);
        time.Advance(TimeSpan.FromSeconds(10));
        await broker.WaitUntilAsync(b => b.GetDeadLetters().Count == 1, "the last timed-out attempt was dead-lettered");

        Assert.Equal(2, Volatile.Read(ref sawCancellation));
        Assert.Equal(DeadLetterReason.TimeLimitExceeded, broker.GetDeadLetters()[0].Error.Reason);
    }

    [Fact]
    public async Task An_attempt_that_finishes_within_its_time_limit_succeeds()
    {
        var time = new FakeTimeProvider();
        await using var broker = new InMemoryBroker(time);
        var actor = TestActor.Noop("quick", new ActorOptions { TimeLimit = TimeSpan.FromSeconds(1) });
        await broker.CreateClient().SendAsync(TestMessages.Create("quick"));

        await broker.RunUntilIdleAsync(new ActorRegistry([actor]));

        Assert.Equal(1, actor.Invocations);
        Assert.Empty(broker.GetDeadLetters());
    }
}
