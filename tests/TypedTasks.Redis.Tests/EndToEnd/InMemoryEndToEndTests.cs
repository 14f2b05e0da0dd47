using System;
using System.Threading.Tasks;

namespace TypedTasks.Redis.Tests.EndToEnd;

/// <summary>The same generated actors in a user's unit test: the in-memory broker, run until idle.</summary>
public sealed class InMemoryEndToEndTests
{
    [Fact]
    public async Task Sent_tasks_run_until_idle_and_their_typed_results_are_read()
    {
        await using var broker = new InMemoryBroker();
        var client = broker.CreateClient();
        var probe = Probe.Create();

        var sum = await Tasks.EndToEndActors.Add.SendAsync(client, 40, 2);
        var summary = await Tasks.EndToEndActors.Summarize.SendAsync(client, "totals", [5, 6]);
        var later = await Tasks.EndToEndActors.Record.SendAsync(client, probe.Key, 7, new SendOptions { Delay = TimeSpan.FromHours(1) });
        await broker.RunUntilIdleAsync(Tasks.Registry);

        Assert.Equal(42, await sum.GetResultAsync(TimeSpan.Zero));
        Assert.Equal(new Summary("TOTALS", 2, 11), await summary.GetResultAsync(TimeSpan.Zero));
        Assert.Equal(probe.Key + ":7", await later.GetResultAsync(TimeSpan.Zero));
        Assert.Equal(0, broker.GetQueueLength("e2e"));
    }

    [Fact]
    public async Task An_actor_error_fails_the_run_fast_with_the_actors_exception()
    {
        await using var broker = new InMemoryBroker();
        var client = broker.CreateClient();

        await Tasks.EndToEndActors.Explode.SendAsync(client, "the ledger is locked");
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => broker.RunUntilIdleAsync(Tasks.Registry));

        Assert.Equal("the ledger is locked", error.Message);
        var dead = Assert.Single(broker.GetDeadLetters("e2e"));
        Assert.Equal(typeof(InvalidOperationException).FullName, dead.Error.Type);
    }

    [Fact]
    public async Task Retries_run_without_waiting_for_their_backoff_when_fail_fast_is_off()
    {
        await using var broker = new InMemoryBroker();
        var client = broker.CreateClient();
        var probe = Probe.Create();

        var flaky = await Tasks.EndToEndActors.Flaky.SendAsync(client, probe.Key, 2);
        await broker.RunUntilIdleAsync(Tasks.Registry, new InMemoryRunOptions { FailFast = false });

        Assert.Equal(3, await flaky.GetResultAsync(TimeSpan.Zero));
        Assert.Equal(3, probe.Calls);
    }

    [Fact]
    public async Task Requeueing_a_dead_letter_clears_the_failed_outcome_so_a_waiter_sees_the_new_run()
    {
        await using var broker = new InMemoryBroker();
        var client = broker.CreateClient();
        var handle = await Tasks.EndToEndActors.Explode.SendAsync(client, "first run");
        await broker.RunUntilIdleAsync(Tasks.Registry, new InMemoryRunOptions { FailFast = false });
        await Assert.ThrowsAsync<TaskFailedException>(() => handle.GetResultAsync(TimeSpan.Zero));

        var dead = Assert.Single(await broker.DeadLetters.ListAsync("e2e"));
        Assert.True(await broker.DeadLetters.RequeueAsync("e2e", dead.Id));

        Assert.Null(await broker.Results.GetAsync(handle.Id));
        await broker.RunUntilIdleAsync(Tasks.Registry, new InMemoryRunOptions { FailFast = false });
        var again = await Assert.ThrowsAsync<TaskFailedException>(() => handle.GetResultAsync(TimeSpan.Zero));
        Assert.Equal("first run", again.Error.Message);
    }
}
