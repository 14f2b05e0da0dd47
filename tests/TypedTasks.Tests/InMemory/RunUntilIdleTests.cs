using System;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;
using TypedTasks.Generated;
using TypedTasks.Tests.Support;

namespace TypedTasks.Tests.InMemory;

public sealed class RunUntilIdleTests
{
    [Fact]
    public async Task Fail_fast_rethrows_the_actor_exception_instead_of_retrying()
    {
        await using var broker = new InMemoryBroker();
        var actor = TestActor.Failing("charge", () => new InvalidOperationException("Card reader offline"));
        await broker.CreateClient().SendAsync(TestMessages.Create("charge"));

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => broker.RunUntilIdleAsync(new ActorRegistry([actor])));

        Assert.Equal("Card reader offline", failure.Message);
        Assert.Equal(1, actor.Invocations);
        var retry = Assert.Single(broker.GetScheduledMessages());
        Assert.Equal(2, retry.Attempt);
        Assert.Equal(0, broker.GetInFlightCount());
    }

    [Fact]
    public async Task Work_sent_by_running_actors_is_run_too()
    {
        await using var broker = new InMemoryBroker();
        var client = broker.CreateClient();
        var notify = TestActor.Noop("notify");
        var order = new TestActor("order", async _ => await client.SendAsync(TestMessages.Create("notify")));
        await client.SendAsync(TestMessages.Create("order"));

        await broker.RunUntilIdleAsync(new ActorRegistry([order, notify]));

        Assert.Equal(1, order.Invocations);
        Assert.Equal(1, notify.Invocations);
    }

    [Fact]
    public async Task Delayed_messages_run_as_if_due_unless_told_otherwise()
    {
        var time = new FakeTimeProvider();
        await using var broker = new InMemoryBroker(time);
        var reminder = TestActor.Noop("remind");
        var registry = new ActorRegistry([reminder]);
        await broker.CreateClient().SendAsync(TestMessages.Create("remind", options: new SendOptions { Delay = TimeSpan.FromDays(1) }));

        await broker.RunUntilIdleAsync(registry, new InMemoryRunOptions { IncludeScheduled = false });
        Assert.Equal(0, reminder.Invocations);
        Assert.Equal(1, broker.GetScheduledCount());

        time.Advance(TimeSpan.FromDays(1));
        await broker.RunUntilIdleAsync(registry, new InMemoryRunOptions { IncludeScheduled = false });
        Assert.Equal(1, reminder.Invocations);

        await broker.CreateClient().SendAsync(TestMessages.Create("remind", options: new SendOptions { Delay = TimeSpan.FromDays(1) }));
        await broker.RunUntilIdleAsync(registry);
        Assert.Equal(2, reminder.Invocations);
        Assert.Equal(0, broker.GetScheduledCount());
    }

    [Fact]
    public async Task Without_fail_fast_retries_run_at_once_until_dead_lettered()
    {
        await using var broker = new InMemoryBroker();
        var actor = TestActor.Failing("flaky", () => new InvalidOperationException("nope"), new ActorOptions { MaxRetries = 3 });
        await broker.CreateClient().SendAsync(TestMessages.Create("flaky"));

        await broker.RunUntilIdleAsync(new ActorRegistry([actor]), new InMemoryRunOptions { FailFast = false });

        Assert.Equal(4, actor.Invocations);
        Assert.Equal(DeadLetterReason.RetriesExhausted, Assert.Single(broker.GetDeadLetters()).Error.Reason);
    }

    [Fact]
    public async Task Results_can_be_read_after_the_run()
    {
        await using var broker = new InMemoryBroker();
        var square = TestActor.Returning("square", args => args.GetProperty("n").GetInt64() * args.GetProperty("n").GetInt64(), TypedTasksJsonContext.Default.Int64);
        var sent = await broker.CreateClient().SendAsync(TestMessages.Create("square", """{"n":12}"""));

        await broker.RunUntilIdleAsync(new ActorRegistry([square]));

        Assert.Equal(144L, await new TaskHandle<long>(sent, TypedTasksJsonContext.Default.Int64).GetResultAsync(TimeSpan.Zero));
    }

    [Fact]
    public async Task A_run_that_never_becomes_idle_times_out_with_a_description()
    {
        await using var broker = new InMemoryBroker();
        var client = broker.CreateClient();
        var echo = new TestActor("echo", async _ => await client.SendAsync(TestMessages.Create("echo")));
        await client.SendAsync(TestMessages.Create("echo"));

        var timeout = await Assert.ThrowsAsync<TimeoutException>(() =>
            broker.RunUntilIdleAsync(new ActorRegistry([echo]), new InMemoryRunOptions { Timeout = TimeSpan.FromSeconds(1) }));

        Assert.Contains("queue 'default'", timeout.Message, StringComparison.Ordinal);
        Assert.True(echo.Invocations > 1);
    }

    [Fact]
    public async Task The_caller_options_are_not_modified()
    {
        await using var broker = new InMemoryBroker();
        var options = new WorkerOptions { Concurrency = 2 };
        await broker.CreateClient().SendAsync(TestMessages.Create("noop"));

        await broker.RunUntilIdleAsync(new ActorRegistry([TestActor.Noop("noop")]), new InMemoryRunOptions { Worker = options });

        Assert.Empty(options.Middleware);
    }
}
