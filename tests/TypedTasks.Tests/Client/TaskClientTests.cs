using System;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;
using TypedTasks.Tests.Support;

namespace TypedTasks.Tests.Client;

public sealed class TaskClientTests
{
    [Fact]
    public async Task Sending_stamps_the_enqueue_time_and_keeps_the_message_ready()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 3, 1, 8, 0, 0, TimeSpan.Zero));
        await using var broker = new InMemoryBroker(time);

        var handle = await broker.CreateClient().SendAsync(TestMessages.Create("now"));

        var stored = Assert.Single(broker.GetReadyMessages(TaskMessage.DefaultQueue));
        Assert.Equal(handle.Id, stored.Id);
        Assert.Equal("now", handle.Actor);
        Assert.Equal(time.GetUtcNow(), stored.EnqueuedAt);
        Assert.Null(stored.DueAt);
        Assert.Equal(1, stored.Attempt);
    }

    [Fact]
    public async Task A_delay_becomes_a_due_time_relative_to_the_send()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 3, 1, 8, 0, 0, TimeSpan.Zero));
        await using var broker = new InMemoryBroker(time);

        await broker.CreateClient().SendAsync(TestMessages.Create("later", options: new SendOptions { Delay = TimeSpan.FromMinutes(10) }));

        var stored = Assert.Single(broker.GetScheduledMessages());
        Assert.Equal(time.GetUtcNow().AddMinutes(10), stored.DueAt);
        Assert.Equal(time.GetUtcNow(), stored.EnqueuedAt);
        Assert.Equal(0, broker.GetQueueLength(TaskMessage.DefaultQueue));
    }

    [Fact]
    public async Task NotBefore_is_kept_as_the_due_time_and_send_options_override_id_and_queue()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 3, 1, 8, 0, 0, TimeSpan.Zero));
        await using var broker = new InMemoryBroker(time);
        var notBefore = time.GetUtcNow().AddHours(3);

        var handle = await broker.CreateClient().SendAsync(TestMessages.Create("at", options: new SendOptions { NotBefore = notBefore, TaskId = "order-17", Queue = "reports" }));

        var stored = Assert.Single(broker.GetScheduledMessages());
        Assert.Equal(notBefore, stored.DueAt);
        Assert.Equal("order-17", handle.Id);
        Assert.Equal("reports", stored.Queue);
    }

    [Fact]
    public async Task Waiting_on_a_handle_without_an_outcome_times_out()
    {
        await using var broker = new InMemoryBroker();
        var handle = await broker.CreateClient().SendAsync(TestMessages.Create("never-runs"));

        await Assert.ThrowsAsync<TimeoutException>(() => handle.WaitAsync(TimeSpan.FromMilliseconds(10)));
    }
}
