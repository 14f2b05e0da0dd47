using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;
using TypedTasks.Generated;
using TypedTasks.Tests.Support;

namespace TypedTasks.Tests.Middleware;

public sealed class MiddlewareTests
{
    [Fact]
    public async Task Process_middleware_wraps_each_attempt_outermost_first()
    {
        await using var broker = new InMemoryBroker();
        var log = new ConcurrentQueue<string>();
        var actor = new TestActor("work", _ =>
        {
            log.Enqueue("actor");
            return ValueTask.CompletedTask;
        });
        var options = new WorkerOptions();
        options.Middleware.Add(new RecordingProcessMiddleware("outer", log));
        options.Middleware.Add(new RecordingProcessMiddleware("inner", log));
        await broker.CreateClient().SendAsync(TestMessages.Create("work"));

        await broker.RunUntilIdleAsync(new ActorRegistry([actor]), new InMemoryRunOptions { Worker = options });

        Assert.Equal(["outer:before:work:1", "inner:before:work:1", "actor", "inner:after", "outer:after"], log.ToArray());
    }

    [Fact]
    public async Task An_exception_from_process_middleware_fails_the_attempt_like_an_actor_exception()
    {
        await using var broker = new InMemoryBroker();
        var actor = TestActor.Noop("work", new ActorOptions { MaxRetries = 1 });
        var options = new WorkerOptions();
        options.Middleware.Add(new ThrowingProcessMiddleware());
        await broker.CreateClient().SendAsync(TestMessages.Create("work"));

        await broker.RunUntilIdleAsync(new ActorRegistry([actor]), new InMemoryRunOptions { FailFast = false, Worker = options });

        Assert.Equal(0, actor.Invocations);
        var deadLetter = Assert.Single(broker.GetDeadLetters());
        Assert.Equal(DeadLetterReason.RetriesExhausted, deadLetter.Error.Reason);
        Assert.Equal(2, deadLetter.Message!.Attempt);
        Assert.Equal(typeof(InvalidOperationException).FullName, deadLetter.Error.Type);
        Assert.Equal("middleware refused", deadLetter.Error.Message);
    }

    [Fact]
    public async Task Send_middleware_runs_outermost_first_and_may_replace_the_message()
    {
        var time = new FakeTimeProvider();
        await using var broker = new InMemoryBroker(time);
        var log = new ConcurrentQueue<string>();
        var client = new TaskClient(broker, [new HeaderSendMiddleware("first", log), new HeaderSendMiddleware("second", log)], time);

        await client.SendAsync(TestMessages.Create("one"));
        await client.SendManyAsync([TestMessages.Create("two"), TestMessages.Create("three")]);

        Assert.Equal(["first:one", "second:one", "first:two", "second:two", "first:three", "second:three"], log.ToArray());
        var stored = broker.GetReadyMessages(TaskMessage.DefaultQueue);
        Assert.Equal(3, stored.Count);
        Assert.All(stored, m => Assert.Equal("first>second", m.Headers!["trail"]));
    }

    [Fact]
    public async Task Send_middleware_sees_the_resolved_message_and_the_handle_follows_what_it_sent()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
        await using var broker = new InMemoryBroker(time);
        var seen = new List<TaskMessage>();
        var client = new TaskClient(broker, [new RenamingSendMiddleware(seen)], time);

        var single = await client.SendAsync(TestMessages.Create("one", options: new SendOptions { Delay = TimeSpan.FromMinutes(5) }));
        var batch = await client.SendManyAsync([TestMessages.Create("two"), TestMessages.Create("three")]);

        // The middleware saw a finished envelope: an id, the enqueue time and the delay resolved on the client's clock.
        Assert.Equal(time.GetUtcNow(), seen[0].EnqueuedAt);
        Assert.Equal(time.GetUtcNow().AddMinutes(5), seen[0].DueAt);
        Assert.All(seen, m => Assert.False(string.IsNullOrEmpty(m.Id)));
        // It replaced the ids and pushed the due time back: the handles and the stored messages agree with it.
        Assert.Equal(["renamed-one", "renamed-two", "renamed-three"], new[] { single.Id, batch[0].Id, batch[1].Id });
        var scheduled = Assert.Single(broker.GetScheduledMessages());
        Assert.Equal("renamed-one", scheduled.Id);
        Assert.Equal(time.GetUtcNow().AddMinutes(6), scheduled.DueAt);
        Assert.Equal(["renamed-two", "renamed-three"], broker.GetReadyMessages(TaskMessage.DefaultQueue).Select(m => m.Id));
    }

    [Fact]
    public async Task Send_middleware_that_produces_an_invalid_message_is_refused_before_the_broker()
    {
        await using var broker = new InMemoryBroker();
        var client = new TaskClient(broker, [new BreakingSendMiddleware()], TimeProvider.System);

        await Assert.ThrowsAsync<ArgumentException>(async () => await client.SendAsync(TestMessages.Create("one")));

        Assert.Empty(broker.GetReadyMessages(TaskMessage.DefaultQueue));
    }

    private sealed class RenamingSendMiddleware(List<TaskMessage> seen) : ISendMiddleware
    {
        public ValueTask SendAsync(TaskMessage message, SendDelegate next, CancellationToken cancellationToken)
        {
            seen.Add(message);
            return next(
                message with { Id = "renamed-" + message.Actor, DueAt = message.DueAt?.AddMinutes(1) },
                cancellationToken);
        }
    }

    private sealed class BreakingSendMiddleware : ISendMiddleware
    {
        public ValueTask SendAsync(TaskMessage message, SendDelegate next, CancellationToken cancellationToken) =>
            next(message with { Queue = "no spaces allowed" }, cancellationToken);
    }

    private sealed class RecordingProcessMiddleware(string name, ConcurrentQueue<string> log) : IProcessMiddleware
    {
        public async ValueTask ProcessAsync(TaskContext context, ProcessDelegate next)
        {
            log.Enqueue($"{name}:before:{context.Actor.Name}:{context.Message.Attempt}");
            await next(context);
            log.Enqueue($"{name}:after");
        }
    }

    private sealed class ThrowingProcessMiddleware : IProcessMiddleware
    {
        public ValueTask ProcessAsync(TaskContext context, ProcessDelegate next) =>
            throw new InvalidOperationException("middleware refused");
    }

    private sealed class HeaderSendMiddleware(string name, ConcurrentQueue<string> log) : ISendMiddleware
    {
        public ValueTask SendAsync(TaskMessage message, SendDelegate next, CancellationToken cancellationToken)
        {
            log.Enqueue($"{name}:{message.Actor}");
            var headers = new Dictionary<string, string>(message.Headers ?? new Dictionary<string, string>(), StringComparer.Ordinal);
            headers["trail"] = headers.TryGetValue("trail", out var trail) ? trail + ">" + name : name;
            return next(message with { Headers = headers }, cancellationToken);
        }
    }
}
