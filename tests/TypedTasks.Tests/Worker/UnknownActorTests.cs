using System;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;
using TypedTasks.Tests.Support;

namespace TypedTasks.Tests.Worker;

/// <summary>
/// A message for an actor this worker does not know (a rolling deploy: newer producers, older workers) is retried a
/// bounded number of times with backoff, then dead-lettered naming the worker and queue that saw it last.
/// </summary>
public sealed class UnknownActorTests
{
    [Fact]
    public async Task An_unknown_actor_is_retried_with_backoff_then_dead_lettered_naming_the_worker_the_queue_and_the_attempts()
    {
        var time = new FakeTimeProvider();
        await using var broker = new InMemoryBroker(time);
        var options = new WorkerOptions
        {
            TimeProvider = time,
            ConsumerName = "worker-old",
            UnknownActorMaxRetries = 2,
            UnknownActorMinBackoff = TimeSpan.FromSeconds(10),
            UnknownActorMaxBackoff = TimeSpan.FromMinutes(1),
            Jitter = static () => 1,
        };
        await using var worker = new TaskWorker(broker, new ActorRegistry([TestActor.Noop("known")]), options);
        await worker.StartAsync();
        var ghost = await broker.CreateClient().SendAsync(TestMessages.Create("ghost"));

        await broker.WaitUntilAsync(b => b.GetScheduledCount() == 1 && b.GetInFlightCount() == 0, "the first attempt was retried");
        var retry = Assert.Single(broker.GetScheduledMessages());
        Assert.Equal(2, retry.Attempt);
        Assert.Equal(time.GetUtcNow() + TimeSpan.FromSeconds(10), retry.DueAt);
        Assert.Empty(broker.GetDeadLetters());

        time.Advance(TimeSpan.FromSeconds(10));
        await broker.WaitUntilAsync(b => b.GetScheduledMessages().SingleOrDefault()?.Attempt == 3 && b.GetInFlightCount() == 0, "the second attempt was retried");
        Assert.Equal(time.GetUtcNow() + TimeSpan.FromSeconds(20), broker.GetScheduledMessages().Single().DueAt);

        time.Advance(TimeSpan.FromSeconds(20));
        await broker.WaitUntilAsync(b => b.GetDeadLetters().Count == 1, "the third attempt was dead-lettered");

        var deadLetter = Assert.Single(broker.GetDeadLetters());
        Assert.Equal(DeadLetterReason.UnknownActor, deadLetter.Error.Reason);
        Assert.Equal(
            "No actor named 'ghost' is registered on worker 'worker-old' (queue 'default'), which saw attempt 3; it was retried 2 time(s) in case a worker that knows it was being deployed. Deploy a worker that registers it, then requeue the dead letter.",
            deadLetter.Error.Message);
        Assert.Equal(0, broker.GetScheduledCount());
        var failure = await Assert.ThrowsAsync<TaskFailedException>(() => ghost.WaitAsync(BrokerWaits.Generous));
        Assert.Equal(DeadLetterReason.UnknownActor, failure.Error.Reason);
    }

    [Fact]
    public async Task A_newer_worker_that_knows_the_actor_runs_the_message_an_older_one_retried()
    {
        var time = new FakeTimeProvider();
        await using var broker = new InMemoryBroker(time);
        var oldWorker = new TaskWorker(broker, new ActorRegistry([TestActor.Noop("known")]), new WorkerOptions { TimeProvider = time });
        await oldWorker.StartAsync();
        await broker.CreateClient().SendAsync(TestMessages.Create("invoices.send"));
        await broker.WaitUntilAsync(b => b.GetScheduledCount() == 1 && b.GetInFlightCount() == 0, "the old worker retried the message");
        await oldWorker.StopAsync();

        var send = TestActor.Noop("invoices.send");
        await using var newWorker = new TaskWorker(broker, new ActorRegistry([send]), new WorkerOptions { TimeProvider = time });
        await newWorker.StartAsync();
        time.Advance(new WorkerOptions().UnknownActorMinBackoff);
        await broker.WaitUntilAsync(_ => send.Invocations == 1 && broker.GetInFlightCount() == 0, "the new worker ran the message");

        Assert.Empty(broker.GetDeadLetters());
        Assert.Equal(0, broker.GetScheduledCount());
    }

    [Fact]
    public async Task With_no_retries_an_unknown_actor_is_dead_lettered_at_once()
    {
        await using var broker = new InMemoryBroker();
        var options = new WorkerOptions { UnknownActorMaxRetries = 0 };
        await using var worker = new TaskWorker(broker, new ActorRegistry([TestActor.Noop("known")]), options);
        await worker.StartAsync();

        await broker.CreateClient().SendAsync(TestMessages.Create("ghost"));
        await broker.WaitUntilAsync(b => b.GetDeadLetters().Count == 1, "the message was dead-lettered");

        Assert.Equal(0, broker.GetScheduledCount());
        var message = Assert.Single(broker.GetDeadLetters()).Error.Message;
        Assert.Contains("which saw attempt 1; it was retried 0 time(s)", message, StringComparison.Ordinal);
        Assert.Contains("on worker 'in-memory-", message, StringComparison.Ordinal);   // the consumer's own default name
    }

    [Fact]
    public async Task Run_until_idle_retries_an_unknown_actor_at_once_and_ends_with_its_dead_letter()
    {
        // Scheduled retries count as due during RunUntilIdleAsync, so a test sees the outcome without moving a clock.
        await using var broker = new InMemoryBroker(new FakeTimeProvider());
        await broker.CreateClient().SendAsync(TestMessages.Create("ghost"));

        await broker.RunUntilIdleAsync(new ActorRegistry([TestActor.Noop("known")]));

        var deadLetter = Assert.Single(broker.GetDeadLetters());
        Assert.Equal(DeadLetterReason.UnknownActor, deadLetter.Error.Reason);
        Assert.Equal(1 + new WorkerOptions().UnknownActorMaxRetries, deadLetter.Message!.Attempt);
    }

    [Fact]
    public void Unknown_actor_settings_are_validated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TaskWorker(new InMemoryBroker(), new ActorRegistry([TestActor.Noop("a")]), new WorkerOptions { UnknownActorMaxRetries = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TaskWorker(new InMemoryBroker(), new ActorRegistry([TestActor.Noop("a")]), new WorkerOptions { UnknownActorMinBackoff = TimeSpan.FromMinutes(10) }));
    }
}
