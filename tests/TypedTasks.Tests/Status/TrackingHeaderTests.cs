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
}
