using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;
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
