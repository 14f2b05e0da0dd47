using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using TypedTasks.Tests.Support;

namespace TypedTasks.Tests.Worker;

/// <summary>A processing slot does not wait for its ack, yet no ack is lost: shutdown waits for every one, and the
/// number outstanding is bounded.</summary>
public sealed class OutstandingAckTests
{
    [Fact]
    public async Task A_slot_takes_the_next_task_while_its_ack_is_pending_and_stop_waits_for_every_ack()
    {
        await using var inner = new InMemoryBroker();
        var broker = new GatedAckBroker(inner);
        var actor = TestActor.Noop("quick");
        var worker = new TaskWorker(broker, new ActorRegistry([actor]), new WorkerOptions { Concurrency = 1 });
        for (var i = 0; i < 3; i++)
        {
            await inner.CreateClient().SendAsync(TestMessages.Create("quick"));
        }

        await worker.StartAsync();
        // One slot, no ack confirmed: three acks issued means the slot moved on without waiting.
        await UntilAsync(() => broker.AcksStarted == 3, "three acks were issued");
        Assert.Equal(3, actor.Invocations);
        Assert.Equal(0, broker.AcksCompleted);
        Assert.Equal(3, inner.GetInFlightCount());

        var stop = worker.StopAsync();
        await Task.Delay(100);
        Assert.False(stop.IsCompleted, "the stop must wait for the outstanding acks");
        broker.OpenGate();
        await stop.Within("the worker stopped");

        Assert.Equal(3, broker.AcksCompleted);
        Assert.Equal(3, broker.AcksCompletedWhenDisposed);
        Assert.Equal(0, inner.GetInFlightCount());
        Assert.Equal(0, inner.GetQueueLength(TaskMessage.DefaultQueue));
    }

    [Fact]
    public async Task Outstanding_acks_are_bounded_at_four_per_slot()
    {
        await using var inner = new InMemoryBroker();
        var broker = new GatedAckBroker(inner);
        var actor = TestActor.Noop("quick");
        var worker = new TaskWorker(broker, new ActorRegistry([actor]), new WorkerOptions { Concurrency = 1 });
        for (var i = 0; i < 10; i++)
        {
            await inner.CreateClient().SendAsync(TestMessages.Create("quick"));
        }

        await worker.StartAsync();
        await UntilAsync(() => actor.Invocations == 5, "the fifth task ran");
        // The fifth attempt finished but must wait for room before its ack goes out, and the slot with it.
        await Task.Delay(200);
        Assert.Equal(4, broker.AcksStarted);
        Assert.Equal(5, actor.Invocations);

        broker.OpenGate();
        await inner.WaitUntilAsync(b => b.GetInFlightCount() == 0 && b.GetQueueLength(TaskMessage.DefaultQueue) == 0, "every task was acked");
        await worker.StopAsync().Within("the worker stopped");
        Assert.Equal(10, broker.AcksCompleted);
        Assert.Equal(10, actor.Invocations);
    }

    [Fact]
    public async Task A_stop_cut_short_gives_unconfirmed_acks_a_bounded_wait_and_leaves_their_messages_to_redelivery()
    {
        await using var inner = new InMemoryBroker();
        var broker = new GatedAckBroker(inner);
        var actor = TestActor.Noop("quick");
        var worker = new TaskWorker(broker, new ActorRegistry([actor]), new WorkerOptions { Concurrency = 1 });
        await inner.CreateClient().SendAsync(TestMessages.Create("quick"));
        await worker.StartAsync();
        await UntilAsync(() => broker.AcksStarted == 1, "the ack was issued");

        using var outOfPatience = new CancellationTokenSource();
        await outOfPatience.CancelAsync();
        await worker.StopAsync(outOfPatience.Token).Within("the worker stopped although the ack never landed");

        Assert.Equal(0, broker.AcksCompletedWhenDisposed);
        // The in-memory consumer hands its unacknowledged deliveries back when disposed: ready to run again.
        Assert.Equal(0, inner.GetInFlightCount());
        Assert.Equal(1, inner.GetQueueLength(TaskMessage.DefaultQueue));
    }

    private static async Task UntilAsync(Func<bool> condition, string because)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > BrokerWaits.Generous)
            {
                throw new TimeoutException($"Timed out waiting until {because}.");
            }

            await Task.Delay(5);
        }
    }
}
