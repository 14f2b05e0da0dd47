using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using TypedTasks.Generated;
using TypedTasks.Testing.Diagnostics;
using TypedTasks.Tests.Support;

namespace TypedTasks.Tests.Diagnostics;

/// <summary>The instruments of the TypedTasks meter move as tasks are sent, run, succeed, retry and dead-letter.</summary>
public sealed class MetricsTests
{
    [Fact]
    public async Task Sends_attempts_outcomes_retries_dead_letters_durations_and_lag_are_measured()
    {
        var queue = "metrics-" + Guid.NewGuid().ToString("N")[..10];
        using var metrics = new MeasurementRecorder(queue);
        await using var broker = new InMemoryBroker();
        var calls = 0;
        var fast = new ActorOptions { MinBackoff = TimeSpan.FromMilliseconds(1), MaxBackoff = TimeSpan.FromMilliseconds(1) };
        var registry = new ActorRegistry(
        [
            TestActor.Noop("ok", queue: queue),
            new TestActor("flaky", _ => Interlocked.Increment(ref calls) == 1 ? throw new TimeoutException("busy") : ValueTask.CompletedTask, fast, queue),
            new TestActor("broken", _ => throw new NonRetryableException("no such account"), fast, queue),
        ]);
        var client = broker.CreateClient();
        await client.SendAsync(TestMessages.Create("ok", queue: queue));
        await client.SendManyAsync([TestMessages.Create("flaky", queue: queue), TestMessages.Create("broken", queue: queue)]);

        await broker.RunUntilIdleAsync(registry, new InMemoryRunOptions { FailFast = false });

        Assert.Equal(3, metrics.Sum("messaging.client.sent.messages"));
        Assert.All(metrics.Of("messaging.client.sent.messages"), m => Assert.Equal("send", m.Tag("messaging.operation.name")));
        Assert.Equal(4, metrics.Sum("messaging.client.consumed.messages")); // ok, flaky twice, broken
        Assert.Equal(2, metrics.Sum("typedtasks.task.processed", "typedtasks.outcome", "succeeded"));
        Assert.Equal(1, metrics.Sum("typedtasks.task.processed", "typedtasks.outcome", "retried"));
        Assert.Equal(1, metrics.Sum("typedtasks.task.processed", "typedtasks.outcome", "dead_lettered"));
        var retry = Assert.Single(metrics.Of("typedtasks.task.retries"));
        Assert.Equal("flaky", retry.Tag("typedtasks.actor"));
        Assert.Equal(typeof(TimeoutException).FullName, retry.Tag("error.type"));
        var deadLetter = Assert.Single(metrics.Of("typedtasks.task.dead_letters"));
        Assert.Equal(("broken", "NonRetryable"), (deadLetter.Tag("typedtasks.actor"), deadLetter.Tag("typedtasks.dead_letter.reason")));

        var durations = metrics.Of("messaging.process.duration");
        Assert.Equal(4, durations.Count);
        Assert.All(durations, d => Assert.InRange(d.Value, 0, 30));
        Assert.Equal(typeof(NonRetryableException).FullName, durations.Single(d => Equals(d.Tag("typedtasks.actor"), "broken")).Tag("error.type"));
        Assert.Equal("s", durations[0].Instrument.Unit);
        Assert.Equal(4, metrics.Of("typedtasks.task.queue_time").Count);
        Assert.All(metrics.Of("typedtasks.task.queue_time"), d => Assert.True(d.Value >= 0));

        var running = metrics.Of("typedtasks.task.running");
        Assert.Equal(4, running.Count(m => m.Value == 1));
        Assert.Equal(0, running.Sum(m => m.Value));
    }

    [Fact]
    public void Instruments_use_the_conventions_names_and_units()
    {
        Assert.Equal(TypedTasksDiagnostics.MeterName, TaskInstrumentation.Meter.Name);
        Assert.Equal(("messaging.client.sent.messages", "{message}"), (TaskInstrumentation.SentMessages.Name, TaskInstrumentation.SentMessages.Unit));
        Assert.Equal(("messaging.client.consumed.messages", "{message}"), (TaskInstrumentation.ConsumedMessages.Name, TaskInstrumentation.ConsumedMessages.Unit));
        Assert.Equal(("messaging.process.duration", "s"), (TaskInstrumentation.ProcessDuration.Name, TaskInstrumentation.ProcessDuration.Unit));
        Assert.Equal(("typedtasks.task.queue_time", "s"), (TaskInstrumentation.QueueTime.Name, TaskInstrumentation.QueueTime.Unit));
    }
}
