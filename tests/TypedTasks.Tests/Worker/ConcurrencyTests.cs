using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using TypedTasks.Generated;
using TypedTasks.Tests.Support;

namespace TypedTasks.Tests.Worker;

/// <summary>Concurrency, prefetch and priority bounds, measured with counters rather than time.</summary>
public sealed class ConcurrencyTests
{
    [Fact]
    public async Task Running_actors_never_exceed_the_concurrency_limit()
    {
        await using var broker = new InMemoryBroker();
        var running = 0;
        var maxRunning = 0;
        var completed = 0;
        var limitReached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var actor = new TestActor("work", async invocation =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref maxRunning, now);
            if (now == 3)
            {
                limitReached.TrySetResult();
            }

            await gate.Task.WaitAsync(invocation.CancellationToken);
            Interlocked.Decrement(ref running);
            Interlocked.Increment(ref completed);
        });
        await using var worker = new TaskWorker(broker, new ActorRegistry([actor]), new WorkerOptions { Concurrency = 3, Prefetch = 4, ShutdownTimeout = TimeSpan.FromSeconds(1) });
        await worker.StartAsync();
        await broker.CreateClient().SendManyAsync(Enumerable.Range(0, 20).Select(_ => TestMessages.Create("work")).ToArray());

        await limitReached.Task.Within("three actors ran at once");
        await broker.WaitUntilAsync(b => b.GetInFlightCount() >= 7, "the prefetch buffer filled up");
        Assert.Equal(7, broker.GetInFlightCount());
        Assert.Equal(3, worker.RunningCount);
        Assert.Equal(13, broker.GetQueueLength(TaskMessage.DefaultQueue));

        gate.SetResult();
        await broker.WaitUntilAsync(b => b.GetQueueLength(TaskMessage.DefaultQueue) == 0 && b.GetInFlightCount() == 0, "all messages ran");

        Assert.Equal(20, Volatile.Read(ref completed));
        Assert.Equal(3, Volatile.Read(ref maxRunning));
    }

    [Fact]
    public async Task Among_fetched_messages_higher_priority_starts_first()
    {
        await using var broker = new InMemoryBroker();
        var order = new ConcurrentQueue<string>();
        var blockerStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var releaseBlocker = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var blocker = new TestActor("blocker", async invocation =>
        {
            blockerStarted.TrySetResult();
            await releaseBlocker.Task.WaitAsync(invocation.CancellationToken);
        });
        TestActor Recording(string name, int priority) =>
            new(name, invocation =>
            {
                order.Enqueue(System.Text.Encoding.UTF8.GetString(invocation.Arguments.Span));
                return ValueTask.CompletedTask;
            }, new ActorOptions { Priority = priority });
        var registry = new ActorRegistry([blocker, Recording("low", 0), Recording("high", 10), Recording("mid", 5)]);
        await using var worker = new TaskWorker(broker, registry, new WorkerOptions { Concurrency = 1, Prefetch = 10, ShutdownTimeout = TimeSpan.FromSeconds(1) });
        await worker.StartAsync();
        var client = broker.CreateClient();
        await client.SendAsync(TestMessages.Create("blocker"));
        await blockerStarted.Task.Within("the blocker started");

        await client.SendManyAsync(
        [
            TestMessages.Create("low", "\"low-1\""),
            TestMessages.Create("mid", "\"mid-1\""),
            TestMessages.Create("high", "\"high-1\""),
            TestMessages.Create("low", "\"low-2\""),
            TestMessages.Create("high", "\"high-2\""),
        ]);
        await broker.WaitUntilAsync(b => b.GetInFlightCount() >= 6, "the worker fetched every message");
        releaseBlocker.SetResult();
        await broker.WaitUntilAsync(b => b.GetInFlightCount() == 0, "every message ran");

        Assert.Equal(["\"high-1\"", "\"high-2\"", "\"mid-1\"", "\"low-1\"", "\"low-2\""], order.ToArray());
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
