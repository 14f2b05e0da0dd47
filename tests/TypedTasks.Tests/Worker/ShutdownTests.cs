using System;
using System.Threading;
using System.Threading.Tasks;
using TypedTasks.Tests.Support;

namespace TypedTasks.Tests.Worker;

/// <summary>Graceful shutdown: nothing is lost, nothing unstarted is held, cancelled attempts are handed back.</summary>
public sealed class ShutdownTests
{
    [Fact]
    public async Task A_running_actor_may_finish_within_the_shutdown_timeout_and_is_acked()
    {
        await using var broker = new InMemoryBroker();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var finish = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tokenCancelled = false;
        var actor = new TestActor("report", async invocation =>
        {
            started.TrySetResult();
            await finish.Task.WaitAsync(invocation.CancellationToken);
            tokenCancelled = invocation.CancellationToken.IsCancellationRequested;
        });
        var worker = new TaskWorker(broker, new ActorRegistry([actor]), new WorkerOptions { ShutdownTimeout = TimeSpan.FromMinutes(5) });
        await worker.StartAsync();
        await broker.CreateClient().SendAsync(TestMessages.Create("report"));
        await started.Task.Within("the actor started");

        var stop = worker.StopAsync();
        Assert.False(stop.IsCompleted);
        finish.SetResult();
        await stop.Within("the worker stopped");

        Assert.True(worker.Completion.IsCompletedSuccessfully);
        Assert.False(tokenCancelled);
        Assert.Equal(0, broker.GetInFlightCount());
        Assert.Equal(0, broker.GetQueueLength(TaskMessage.DefaultQueue));
        Assert.Empty(broker.GetDeadLetters());
    }

    [Fact]
    public async Task Unstarted_prefetched_messages_are_released_at_once_for_another_worker()
    {
        await using var broker = new InMemoryBroker();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var finish = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var blocker = new TestActor("blocker", async invocation =>
        {
            started.TrySetResult();
            await finish.Task.WaitAsync(invocation.CancellationToken);
        });
        var quick = TestActor.Noop("quick");
        var registry = new ActorRegistry([blocker, quick]);
        var first = new TaskWorker(broker, registry, new WorkerOptions { Concurrency = 1, Prefetch = 5, ShutdownTimeout = TimeSpan.FromSeconds(20) });
        await first.StartAsync();
        var client = broker.CreateClient();
        await client.SendAsync(TestMessages.Create("blocker"));
        await started.Task.Within("the blocker started");
        await client.SendManyAsync([TestMessages.Create("quick"), TestMessages.Create("quick"), TestMessages.Create("quick")]);
        await broker.WaitUntilAsync(b => b.GetInFlightCount() >= 4, "the first worker prefetched the quick messages");

        var stopFirst = first.StopAsync();
        await broker.WaitUntilAsync(b => b.GetQueueLength(TaskMessage.DefaultQueue) == 3, "the unstarted messages were released");
        Assert.False(stopFirst.IsCompleted);

        await using (var second = new TaskWorker(broker, registry))
        {
            await second.StartAsync();
            await broker.WaitUntilAsync(_ => quick.Invocations == 3, "the second worker ran the released messages");
        }

        Assert.False(stopFirst.IsCompleted);
        finish.SetResult();
        await stopFirst.Within("the first worker stopped");
        Assert.Equal(0, broker.GetInFlightCount());
        Assert.Equal(0, broker.GetQueueLength(TaskMessage.DefaultQueue));
        Assert.Equal(1, blocker.Invocations);
    }

    [Fact]
    public async Task An_actor_still_running_after_the_shutdown_timeout_is_cancelled_and_its_message_released()
    {
        await using var broker = new InMemoryBroker();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var actor = new TestActor("endless", async invocation =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, invocation.CancellationToken);
        });
        var worker = new TaskWorker(broker, new ActorRegistry([actor]), new WorkerOptions { ShutdownTimeout = TimeSpan.Zero });
        await worker.StartAsync();
        var sent = await broker.CreateClient().SendAsync(TestMessages.Create("endless"));
        await started.Task.Within("the actor started");

        await worker.StopAsync().Within("the worker stopped");

        var released = Assert.Single(broker.GetReadyMessages(TaskMessage.DefaultQueue));
        Assert.Equal(sent.Id, released.Id);
        Assert.Equal(1, released.Attempt);
        Assert.Equal(0, broker.GetInFlightCount());
        Assert.Equal(0, broker.GetScheduledCount());
        Assert.Empty(broker.GetDeadLetters());
    }

    [Fact]
    public async Task Cancelling_the_stop_token_cuts_the_grace_period_short()
    {
        await using var broker = new InMemoryBroker();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var actor = new TestActor("endless", async invocation =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, invocation.CancellationToken);
        });
        var worker = new TaskWorker(broker, new ActorRegistry([actor]), new WorkerOptions { ShutdownTimeout = Timeout.InfiniteTimeSpan });
        await worker.StartAsync();
        await broker.CreateClient().SendAsync(TestMessages.Create("endless"));
        await started.Task.Within("the actor started");
        using var hurry = new CancellationTokenSource();

        var stop = worker.StopAsync(hurry.Token);
        Assert.False(stop.IsCompleted);
        await hurry.CancelAsync();
        await stop.Within("the worker stopped");

        Assert.Equal(1, broker.GetQueueLength(TaskMessage.DefaultQueue));
        Assert.Empty(broker.GetDeadLetters());
    }

    [Fact]
    public async Task RunAsync_runs_until_cancelled_then_stops_gracefully()
    {
        await using var broker = new InMemoryBroker();
        var actor = TestActor.Noop("ping");
        var worker = new TaskWorker(broker, new ActorRegistry([actor]));
        using var stopping = new CancellationTokenSource();

        var run = worker.RunAsync(stopping.Token);
        await broker.CreateClient().SendAsync(TestMessages.Create("ping"));
        await broker.WaitUntilAsync(_ => actor.Invocations == 1 && broker.GetInFlightCount() == 0, "the worker ran the message");
        Assert.False(run.IsCompleted);

        await stopping.CancelAsync();
        await run.Within("RunAsync returned");
        Assert.True(worker.Completion.IsCompleted);

        await broker.CreateClient().SendAsync(TestMessages.Create("ping"));
        Assert.Equal(1, broker.GetQueueLength(TaskMessage.DefaultQueue));
    }

    [Fact]
    public async Task A_stopped_worker_cannot_be_restarted()
    {
        await using var broker = new InMemoryBroker();
        var worker = new TaskWorker(broker, new ActorRegistry([TestActor.Noop("a")]));
        await worker.StartAsync();
        await worker.StopAsync();

        await Assert.ThrowsAsync<InvalidOperationException>(() => worker.StartAsync());
    }
}
