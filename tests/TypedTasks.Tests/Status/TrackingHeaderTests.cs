using System;
using System.Threading.Tasks;

namespace TypedTasks.Tests.Status;

/// <summary>Tracking is decided at the send and travels in the <c>typedtasks-status</c> header; an untracked send is
/// left exactly as it was (no header, no status write).</summary>
public sealed class TrackingHeaderTests
{
    private static readonly byte[] Arguments = "{}"u8.ToArray();

    [Fact]
    public async Task An_untracked_send_carries_no_header_and_writes_no_status()
    {
        await using var broker = new InMemoryBroker();
        var handle = await broker.CreateClient().SendAsync(new TaskRequest("a", "q", Arguments));

        Assert.Null(Assert.Single(broker.GetReadyMessages("q")).Headers);
        Assert.Equal(TaskState.Unknown, (await handle.GetStatusAsync()).State);
    }

    [Theory]
    [InlineData(true, "1", TaskState.Queued)]
    [InlineData(false, "0", TaskState.Unknown)]
    public async Task A_decided_send_says_so_in_the_header(bool track, string header, TaskState state)
    {
        await using var broker = new InMemoryBroker();
        var handle = await broker.CreateClient().SendAsync(new TaskRequest("a", "q", Arguments, new SendOptions { TrackStatus = track }));

        Assert.Equal(header, Assert.Single(broker.GetReadyMessages("q")).Headers!["typedtasks-status"]);
        Assert.Equal(state, (await handle.GetStatusAsync()).State);
    }

    [Fact]
    public async Task The_client_default_tracks_what_the_request_left_open_and_batches_too()
    {
        await using var broker = new InMemoryBroker();
        var client = new TaskClient(broker, [], broker.TimeProvider) { TrackStatus = true };

        var handles = await client.SendManyAsync([new TaskRequest("a", "q", Arguments), new TaskRequest("a", "q", Arguments) { TrackStatus = false }]);

        Assert.Equal(TaskState.Queued, (await handles[0].GetStatusAsync()).State);
        Assert.Equal(TaskState.Unknown, (await handles[1].GetStatusAsync()).State);
    }

    [Fact]
    public async Task A_duplicate_send_records_nothing_over_the_existing_task_s_status()
    {
        await using var broker = new InMemoryBroker();
        var client = broker.CreateClient();
        var tracked = new SendOptions { TaskId = "same-task", TrackStatus = true };

        var first = await client.SendAsync(new TaskRequest("a", "q", Arguments, new SendOptions { TaskId = "same-task", TrackStatus = true, Delay = TimeSpan.FromHours(1) }));
        var again = await client.SendAsync(new TaskRequest("a", "q", Arguments, tracked));
        var batch = await client.SendManyAsync([new TaskRequest("a", "q", Arguments, tracked)]);

        Assert.False(first.IsDuplicate);
        Assert.True(again.IsDuplicate);
        Assert.True(batch[0].IsDuplicate);
        // A "queued" write for the duplicate would have replaced the original's "scheduled" record (same rank).
        var status = await first.GetStatusAsync();
        Assert.Equal(TaskState.Scheduled, status.State);
        Assert.NotNull(status.NextAttemptAt);
    }
}
