using System;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using TypedTasks.Redis.Tests.Infrastructure;
using TypedTasks.Testing.Diagnostics;

namespace TypedTasks.Redis.Tests.EndToEnd;

/// <summary>Trace context crosses a real Redis: the stream entry's headers, then the due-later set of a retry.</summary>
[Collection(StandaloneCollection.Name)]
public sealed class EngineTracingTests(StandaloneRedis redis)
{
    [Fact]
    public async Task Every_attempt_of_a_retried_task_is_a_child_of_its_send_span_and_names_the_consumer_group()
    {
        // A queue of its own: the recorder samples only this queue's spans, so parallel tests on "e2e" are untouched.
        var queue = "otel-" + Guid.NewGuid().ToString("N")[..8];
        using var spans = new SpanRecorder(queue);
        await using var broker = new RedisBroker(redis.Connection, new RedisBrokerOptions
        {
            KeyPrefix = "t" + Guid.NewGuid().ToString("N")[..10],
            ConsumerGroup = "billing",
            HeartbeatInterval = TimeSpan.FromMilliseconds(300),
            PollInterval = TimeSpan.FromMilliseconds(250),
        });
        var probe = Probe.Create();
        await using var workers = await EngineWorkers.StartAsync(broker, 1, o =>
        {
            o.Queues = [queue];
            o.Jitter = static () => 0.0;
        });

        var handle = await Tasks.EndToEndActors.Flaky.SendAsync(new TaskClient(broker), probe.Key, 1, new SendOptions { Queue = queue });

        Assert.Equal(2, await handle.GetResultAsync(TimeSpan.FromSeconds(20)));
        await Testing.Eventually.UntilAsync(() => Task.FromResult(spans.OfKind(ActivityKind.Consumer).Count == 2), "both process spans ended");
        var send = Assert.Single(spans.OfKind(ActivityKind.Producer));
        Assert.Equal("send " + queue, send.DisplayName);
        var attempts = spans.OfKind(ActivityKind.Consumer);
        Assert.Equal([1, 2], attempts.Select(a => (int)a.GetTagItem("typedtasks.attempt")!));
        Assert.Equal(["retried", "succeeded"], attempts.Select(a => (string)a.GetTagItem("typedtasks.outcome")!));
        Assert.All(attempts, a =>
        {
            Assert.Equal("process " + queue, a.DisplayName);
            Assert.Equal(send.TraceId, a.TraceId);
            Assert.Equal(send.SpanId, a.ParentSpanId);
            Assert.Equal("billing", a.GetTagItem("messaging.consumer.group.name"));
            Assert.Equal(handle.Id, a.GetTagItem("messaging.message.id"));
            Assert.Equal("e2e.flaky", a.GetTagItem("typedtasks.actor"));
        });
    }
}
