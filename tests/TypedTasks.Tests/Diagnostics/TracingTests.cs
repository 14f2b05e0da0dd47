using System;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using TypedTasks.Generated;
using TypedTasks.Testing.Diagnostics;
using TypedTasks.Tests.Support;

namespace TypedTasks.Tests.Diagnostics;

/// <summary>Send and process spans as an OpenTelemetry exporter would receive them: kinds, names, attributes, parents.</summary>
public sealed class TracingTests
{
    private static readonly InMemoryRunOptions s_keepGoing = new() { FailFast = false };

    [Fact]
    public async Task An_immediate_task_runs_as_a_child_of_its_send_span_on_every_attempt()
    {
        var queue = UniqueQueue();
        using var spans = new SpanRecorder(queue);
        await using var broker = new InMemoryBroker();
        var actor = FailsOnce("charge", queue);

        var handle = await broker.CreateClient().SendAsync(TestMessages.Create("charge", queue: queue));
        await broker.RunUntilIdleAsync(new ActorRegistry([actor]), s_keepGoing);

        var send = Assert.Single(spans.OfKind(ActivityKind.Producer));
        Assert.Equal("send " + queue, send.DisplayName);
        AssertTags(send, ("messaging.system", "typedtasks"), ("messaging.operation.name", "send"), ("messaging.operation.type", "send"),
            ("messaging.destination.name", queue), ("messaging.message.id", handle.Id), ("typedtasks.actor", "charge"));

        var attempts = spans.OfKind(ActivityKind.Consumer);
        Assert.Equal(2, attempts.Count);
        Assert.All(attempts, attempt =>
        {
            Assert.Equal("process " + queue, attempt.DisplayName);
            Assert.Equal(send.TraceId, attempt.TraceId);
            Assert.Equal(send.SpanId, attempt.ParentSpanId);
            Assert.Empty(attempt.Links);
            AssertTags(attempt, ("messaging.system", "typedtasks"), ("messaging.operation.name", "process"), ("messaging.operation.type", "process"),
                ("messaging.destination.name", queue), ("messaging.message.id", handle.Id), ("typedtasks.actor", "charge"), ("typedtasks.delivery_count", 1));
            Assert.Null(attempt.GetTagItem("messaging.consumer.group.name")); // the in-memory broker has no groups
        });

        AssertTags(attempts[0], ("typedtasks.attempt", 1), ("typedtasks.outcome", "retried"), ("error.type", typeof(TimeoutException).FullName));
        Assert.Equal(ActivityStatusCode.Error, attempts[0].Status);
        Assert.Contains(attempts[0].Events, e => e.Name == "exception");
        AssertTags(attempts[1], ("typedtasks.attempt", 2), ("typedtasks.outcome", "succeeded"));
        Assert.Null(attempts[1].GetTagItem("error.type"));
        Assert.Equal(ActivityStatusCode.Unset, attempts[1].Status);
    }

    [Fact]
    public async Task A_delayed_task_starts_a_new_trace_linked_to_its_send_span_on_every_attempt()
    {
        var queue = UniqueQueue();
        using var spans = new SpanRecorder(queue);
        await using var broker = new InMemoryBroker();
        var actor = FailsOnce("remind", queue);

        await broker.CreateClient().SendAsync(TestMessages.Create("remind", queue: queue, options: new SendOptions { Delay = TimeSpan.FromHours(1) }));
        await broker.RunUntilIdleAsync(new ActorRegistry([actor]), s_keepGoing);

        var send = Assert.Single(spans.OfKind(ActivityKind.Producer));
        var attempts = spans.OfKind(ActivityKind.Consumer);
        Assert.Equal(2, attempts.Count);
        Assert.All(attempts, attempt =>
        {
            Assert.NotEqual(send.TraceId, attempt.TraceId);
            Assert.Equal(default, attempt.ParentSpanId);
            var link = Assert.Single(attempt.Links);
            Assert.Equal(send.TraceId, link.Context.TraceId);
            Assert.Equal(send.SpanId, link.Context.SpanId);
        });
        Assert.NotEqual(attempts[0].TraceId, attempts[1].TraceId);
    }

    [Theory]
    [InlineData(TraceParenting.Child, true)]
    [InlineData(TraceParenting.Link, false)]
    public async Task An_actor_option_overrides_the_choice_between_child_and_link(TraceParenting parenting, bool delayed)
    {
        var queue = UniqueQueue();
        using var spans = new SpanRecorder(queue);
        await using var broker = new InMemoryBroker();
        var actor = TestActor.Noop("notify", new ActorOptions { TraceParenting = parenting }, queue);
        var options = delayed ? new SendOptions { Delay = TimeSpan.FromMinutes(5) } : null;

        await broker.CreateClient().SendAsync(TestMessages.Create("notify", queue: queue, options: options));
        await broker.RunUntilIdleAsync(new ActorRegistry([actor]));

        var send = Assert.Single(spans.OfKind(ActivityKind.Producer));
        var attempt = Assert.Single(spans.OfKind(ActivityKind.Consumer));
        Assert.Equal(parenting == TraceParenting.Child, attempt.TraceId == send.TraceId);
        Assert.Equal(parenting == TraceParenting.Link, attempt.Links.Any(l => l.Context.SpanId == send.SpanId));
    }

    [Fact]
    public async Task A_worker_default_of_Link_applies_to_actors_that_set_nothing()
    {
        var queue = UniqueQueue();
        using var spans = new SpanRecorder(queue);
        await using var broker = new InMemoryBroker();

        await broker.CreateClient().SendAsync(TestMessages.Create("notify", queue: queue));
        await broker.RunUntilIdleAsync(
            new ActorRegistry([TestActor.Noop("notify", queue: queue)]),
            new InMemoryRunOptions { Worker = new WorkerOptions { DefaultTraceParenting = TraceParenting.Link } });

        var send = Assert.Single(spans.OfKind(ActivityKind.Producer));
        var attempt = Assert.Single(spans.OfKind(ActivityKind.Consumer));
        Assert.NotEqual(send.TraceId, attempt.TraceId);
        Assert.Equal(send.SpanId, Assert.Single(attempt.Links).Context.SpanId);
    }

    [Fact]
    public async Task A_batch_is_one_send_span_whose_context_every_message_carries()
    {
        var queue = UniqueQueue();
        using var spans = new SpanRecorder(queue);
        await using var broker = new InMemoryBroker();

        var handles = await broker.CreateClient().SendManyAsync(
            [TestMessages.Create("notify", queue: queue), TestMessages.Create("notify", queue: queue), TestMessages.Create("notify", queue: queue)]);
        await broker.RunUntilIdleAsync(new ActorRegistry([TestActor.Noop("notify", queue: queue)]));

        var send = Assert.Single(spans.OfKind(ActivityKind.Producer));
        Assert.Equal("send " + queue, send.DisplayName);
        AssertTags(send, ("messaging.batch.message_count", 3), ("messaging.destination.name", queue), ("messaging.operation.type", "send"));
        var attempts = spans.OfKind(ActivityKind.Consumer);
        Assert.Equal(handles.Select(h => h.Id).Order(), attempts.Select(a => (string)a.GetTagItem("messaging.message.id")!).Order());
        Assert.All(attempts, a => Assert.Equal(send.SpanId, a.ParentSpanId));
    }

    [Fact]
    public async Task A_send_inside_the_callers_trace_carries_that_trace_in_the_headers_and_keeps_its_own()
    {
        var queue = UniqueQueue();
        using var spans = new SpanRecorder(queue);
        using var callerSource = new ActivitySource("TypedTasks.Tests.Caller." + queue);
        using var callerListener = new ActivityListener
        {
            ShouldListenTo = s => s == callerSource,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(callerListener);
        await using var broker = new InMemoryBroker();
        var request = TestMessages.Create("notify", queue: queue, options: new SendOptions { Headers = new System.Collections.Generic.Dictionary<string, string> { ["tenant"] = "acme" } });

        using (var caller = callerSource.StartActivity("POST /orders"))
        {
            await broker.CreateClient().SendAsync(request);
            var message = Assert.Single(broker.GetReadyMessages(queue));
            var send = Assert.Single(spans.OfKind(ActivityKind.Producer));
            Assert.Equal(caller!.SpanId, send.ParentSpanId);
            Assert.Equal($"00-{send.TraceId}-{send.SpanId}-01", message.Headers!["traceparent"]);
            Assert.Equal("acme", message.Headers["tenant"]);
        }

        Assert.Equal("acme", Assert.Single(request.Headers!).Value); // the caller's dictionary is copied, not changed
    }

    [Fact]
    public async Task A_prefetched_message_has_no_span_until_a_slot_starts_it()
    {
        var queue = UniqueQueue();
        using var spans = new SpanRecorder(queue);
        await using var broker = new InMemoryBroker();
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var slow = new TestActor("slow", async _ =>
        {
            entered.TrySetResult();
            await release.Task;
        }, queue: queue);
        await broker.CreateClient().SendManyAsync([TestMessages.Create("slow", queue: queue), TestMessages.Create("slow", queue: queue), TestMessages.Create("slow", queue: queue)]);
        await using var worker = new TaskWorker(broker, new ActorRegistry([slow]), new WorkerOptions { Concurrency = 1, Prefetch = 2 });

        await worker.StartAsync();
        await entered.Task.Within("the first task started");
        await broker.WaitUntilAsync(b => b.GetInFlightCount() == 3, "one task runs and two wait in the prefetch buffer");

        Assert.Single(spans.Started, a => a.Kind == ActivityKind.Consumer);
        release.TrySetResult();
        await broker.WaitUntilAsync(b => b.GetInFlightCount() == 0 && b.GetQueueLength(queue) == 0, "all three ran");
        await worker.StopAsync();
        Assert.Equal(3, spans.OfKind(ActivityKind.Consumer).Count);
    }

    [Fact]
    public async Task Without_any_listener_or_ambient_trace_a_message_is_sent_as_it_was()
    {
        var queue = UniqueQueue(); // no recorder samples this queue
        await using var broker = new InMemoryBroker();

        await broker.CreateClient().SendAsync(TestMessages.Create("notify", queue: queue));

        Assert.Null(Activity.Current);
        Assert.Null(Assert.Single(broker.GetReadyMessages(queue)).Headers);
    }

    private static string UniqueQueue() => "otel-" + Guid.NewGuid().ToString("N")[..10];

    private static TestActor FailsOnce(string name, string queue)
    {
        var calls = 0;
        return new TestActor(
            name,
            _ => Interlocked.Increment(ref calls) == 1 ? throw new TimeoutException("The card reader did not answer") : ValueTask.CompletedTask,
            new ActorOptions { MinBackoff = TimeSpan.FromMilliseconds(1), MaxBackoff = TimeSpan.FromMilliseconds(1) },
            queue);
    }

    private static void AssertTags(Activity activity, params (string Key, object? Value)[] expected)
    {
        foreach (var (key, value) in expected)
        {
            Assert.True(Equals(value, activity.GetTagItem(key)), $"{activity.DisplayName}: tag {key} is '{activity.GetTagItem(key)}', expected '{value}'");
        }
    }
}
