using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Text;
using System.Threading.Tasks;

namespace TypedTasks.Testing;

/// <summary>Cancellation at the broker: the cancelled outcome is stored at once (or the stored outcome is left alone),
/// and every consumer's process learns the id, whether it was listening or starts later.</summary>
public abstract partial class BrokerContract
{
    [Fact]
    public async Task Cancelling_stores_the_cancelled_outcome_and_every_consumer_learns_the_id()
    {
        await using var broker = CreateBroker();
        var queue = TestMessages.Queue();
        var message = Message(queue);
        await broker.SendAsync(message);
        await using var listening = await broker.CreateConsumerAsync(TestMessages.For(queue));
        var announced = new ConcurrentQueue<string>();
        Assert.NotNull(listening.Cancellations);
        listening.Cancellations.Cancelled += announced.Enqueue;
        Assert.False(listening.Cancellations.Contains(message.Id));
        var waiter = broker.Results.WaitAsync(message.Id, Wait).AsTask();

        Assert.Equal(CancelResult.Cancelled, await broker.CancelAsync(message.Id));

        var outcome = await waiter;
        Assert.NotNull(outcome);
        Assert.False(outcome.Succeeded);
        Assert.Equal(DeadLetterReason.Cancelled, outcome.Error?.Reason);
        await Eventually.UntilAsync(() => announced.Contains(message.Id), "the listening consumer was told", Wait);
        Assert.True(listening.Cancellations.Contains(message.Id));

        // A process that starts later reads what was cancelled.
        var peer = await CreatePeerAsync(broker);
        try
        {
            await using var later = await peer.CreateConsumerAsync(TestMessages.For(queue));
            Assert.True(later.Cancellations!.Contains(message.Id));
        }
        finally
        {
            if (!ReferenceEquals(peer, broker))
            {
                await peer.DisposeAsync();
            }
        }

        Assert.Equal(CancelResult.AlreadyCancelled, await broker.CancelAsync(message.Id));
    }

    [Fact]
    public async Task Cancelling_a_finished_task_changes_nothing_and_says_so()
    {
        await using var broker = CreateBroker();
        var (succeeded, failed) = (TaskId.NewId(), TaskId.NewId());
        var at = DateTimeOffset.FromUnixTimeMilliseconds(Time.GetUtcNow().ToUnixTimeMilliseconds());
        await broker.Results.SetAsync(succeeded, new TaskOutcome(true, Encoding.UTF8.GetBytes("42"), null, at), TimeSpan.FromMinutes(1));
        var error = new TaskError(DeadLetterReason.RetriesExhausted, "System.Exception", "nope");
        await broker.Results.SetAsync(failed, new TaskOutcome(false, ReadOnlyMemory<byte>.Empty, error, at), TimeSpan.FromMinutes(1));

        Assert.Equal(CancelResult.AlreadyFinished, await broker.CancelAsync(succeeded));
        Assert.Equal(CancelResult.AlreadyFinished, await broker.CancelAsync(failed));

        Assert.True((await broker.Results.GetAsync(succeeded))!.Succeeded);
        Assert.Equal(error, (await broker.Results.GetAsync(failed))!.Error);
        await using var consumer = await broker.CreateConsumerAsync(TestMessages.For(TestMessages.Queue()));
        Assert.False(consumer.Cancellations!.Contains(succeeded));
    }

    [Fact]
    public async Task Cancelling_an_id_never_sent_records_the_cancellation_as_for_a_waiting_task()
    {
        await using var broker = CreateBroker();
        var unknown = TaskId.NewId();

        Assert.Equal(CancelResult.Cancelled, await broker.CancelAsync(unknown));

        Assert.Equal(DeadLetterReason.Cancelled, (await broker.Results.GetAsync(unknown))?.Error?.Reason);
        await Assert.ThrowsAsync<ArgumentException>(async () => await broker.CancelAsync("bad id"));
    }
}
