using System;
using System.Threading.Tasks;

namespace TypedTasks.Generators.Tests.Runtime;

/// <summary>An actor's <c>Unique</c> default reaches every send of its generated stub; a send's options refine it.</summary>
public sealed class UniqueActorTests
{
    [Fact]
    public async Task An_unique_actor_stores_one_task_per_distinct_arguments_until_its_outcome()
    {
        await using var broker = new InMemoryBroker();
        var client = broker.CreateClient();

        var first = await Tasks.UniqueActors.Rebuild.SendAsync(client, 7);
        var again = await Tasks.UniqueActors.Rebuild.SendAsync(client, 7);
        var other = await Tasks.UniqueActors.Rebuild.SendAsync(client, 8);
        var ownKey = await Tasks.UniqueActors.Rebuild.SendAsync(client, 7, new SendOptions { UniqueKey = "customer-7" });

        Assert.False(first.IsDuplicate);
        Assert.True(again.IsDuplicate);
        Assert.Equal(first.Id, again.Id);
        Assert.False(other.IsDuplicate);
        Assert.False(ownKey.IsDuplicate);
        Assert.Null(Tasks.UniqueActors.Rebuild.Message(7).UniqueFor);
        Assert.Equal(Tasks.UniqueActors.Rebuild.Message(7).UniqueKey, Tasks.UniqueActors.Rebuild.Message(7).UniqueKey);
        Assert.NotEqual(Tasks.UniqueActors.Rebuild.Message(7).UniqueKey, Tasks.UniqueActors.Rebuild.Message(8).UniqueKey);

        await broker.RunUntilIdleAsync(Tasks.Registry);
        Assert.Equal(7, await first.GetResultAsync(TimeSpan.Zero));
        Assert.False((await Tasks.UniqueActors.Rebuild.SendAsync(client, 7)).IsDuplicate);
    }

    [Fact]
    public void A_unique_window_on_the_actor_becomes_the_request_window_unless_the_send_sets_one()
    {
        Assert.Equal(600, Tasks.UniqueActors.Digest.UniqueForSeconds);
        Assert.Equal(TimeSpan.FromMinutes(10), Tasks.UniqueActors.Digest.Message("a@b.c").UniqueFor);
        Assert.Equal(TimeSpan.FromMinutes(1), Tasks.UniqueActors.Digest.Message("a@b.c", new SendOptions { UniqueFor = TimeSpan.FromMinutes(1) }).UniqueFor);
        Assert.StartsWith("args:", Tasks.UniqueActors.Digest.Message("a@b.c").UniqueKey, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_actor_both_unique_and_tracked_gets_both_and_a_duplicate_reads_the_original_s_status()
    {
        await using var broker = new InMemoryBroker();
        var client = broker.CreateClient();

        var request = Tasks.UniqueActors.Tracked.Message(3);
        var first = await Tasks.UniqueActors.Tracked.SendAsync(client, 3);
        var again = await Tasks.UniqueActors.Tracked.SendAsync(client, 3);

        Assert.True(request.TrackStatus);
        Assert.NotNull(request.UniqueKey);
        Assert.False(Tasks.UniqueActors.Tracked.Message(3, new SendOptions { TrackStatus = false }).TrackStatus);
        Assert.True(again.IsDuplicate);
        Assert.Equal(TaskState.Queued, (await again.GetStatusAsync()).State);
        await broker.RunUntilIdleAsync(Tasks.Registry);
        Assert.Equal(TaskState.Succeeded, (await first.GetStatusAsync()).State);
    }
}
