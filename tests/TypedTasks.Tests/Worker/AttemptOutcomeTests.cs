using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;
using TypedTasks.Generated;
using TypedTasks.Tests.Support;

namespace TypedTasks.Tests.Worker;

/// <summary>How one attempt ends: acked, stored, retried or dead-lettered with the right reason.</summary>
public sealed class AttemptOutcomeTests
{
    private static readonly InMemoryRunOptions s_keepGoing = new() { FailFast = false };

    [Fact]
    public async Task An_outermost_middleware_sees_the_failure_before_the_broker_records_the_retry_or_the_dead_letter()
    {
        // InMemoryBroker.RunUntilIdleAsync relies on this order to fail fast before a retry could run again.
        await using var inner = new InMemoryBroker();
        var order = new ConcurrentQueue<string>();
        var broker = new SettlementRecordingBroker(inner, order.Enqueue);
        var charge = TestActor.Failing("charge", () => new InvalidOperationException("Card reader offline"));
        var refund = TestActor.Failing("refund", () => new NonRetryableException("No such payment"));
        var options = new WorkerOptions { Concurrency = 1 };
        options.Middleware.Add(new FailureRecorder(order.Enqueue));
        await using var worker = new TaskWorker(broker, new ActorRegistry([charge, refund]), options);
        await inner.CreateClient().SendAsync(TestMessages.Create("charge"));
        await inner.CreateClient().SendAsync(TestMessages.Create("refund"));

        await worker.StartAsync();
        await inner.WaitUntilAsync(b => b.GetScheduledMessages().Count == 1 && b.GetDeadLetters().Count == 1 && b.GetInFlightCount() == 0, "both attempts were settled");
        await worker.StopAsync();

        Assert.Equal(["failed charge", "retry charge", "failed refund", "dead-letter refund"], order.ToArray());
    }

    [Fact]
    public async Task A_successful_attempt_receives_its_arguments_and_is_acked()
    {
        await using var broker = new InMemoryBroker();
        string? seen = null;
        var actor = new TestActor("greet", invocation =>
        {
            seen = Encoding.UTF8.GetString(invocation.Arguments.Span);
            return ValueTask.CompletedTask;
        });
        await broker.CreateClient().SendAsync(TestMessages.Create("greet", """{"name":"Ada"}"""));

        await broker.RunUntilIdleAsync(new ActorRegistry([actor]));

        Assert.Equal("""{"name":"Ada"}""", seen);
        Assert.Equal(1, actor.Invocations);
        Assert.Equal(0, broker.GetQueueLength(TaskMessage.DefaultQueue));
        Assert.Equal(0, broker.GetInFlightCount());
        Assert.Equal(0, broker.GetScheduledCount());
        Assert.Empty(broker.GetDeadLetters());
    }

    [Fact]
    public async Task A_result_round_trips_through_the_handle_while_a_worker_runs()
    {
        await using var broker = new InMemoryBroker();
        var add = TestActor.Returning("add", args => args.GetProperty("a").GetInt32() + args.GetProperty("b").GetInt32(), TypedTasksJsonContext.Default.Int32);
        await using var worker = new TaskWorker(broker, new ActorRegistry([add]));
        await worker.StartAsync();

        var sent = await broker.CreateClient().SendAsync(TestMessages.Create("add", """{"a":2,"b":40}"""));
        var handle = new TaskHandle<int>(sent, TypedTasksJsonContext.Default.Int32);

        Assert.Equal(42, await handle.GetResultAsync(BrokerWaits.Generous));
    }

    [Fact]
    public async Task A_void_actor_stores_an_outcome_only_when_asked_to()
    {
        await using var broker = new InMemoryBroker();
        var quiet = TestActor.Noop("quiet");
        var tracked = TestActor.Noop("tracked", new ActorOptions { StoreResults = true });
        var client = broker.CreateClient();
        var quietHandle = await client.SendAsync(TestMessages.Create("quiet"));
        var trackedHandle = await client.SendAsync(TestMessages.Create("tracked"));

        await broker.RunUntilIdleAsync(new ActorRegistry([quiet, tracked]));

        Assert.Null(await quietHandle.GetOutcomeAsync());
        await trackedHandle.WaitAsync(BrokerWaits.Generous);
        Assert.True((await trackedHandle.GetOutcomeAsync())!.Succeeded);
    }

    [Fact]
    public async Task A_final_failure_surfaces_as_TaskFailedException_with_the_remote_error()
    {
        await using var broker = new InMemoryBroker();
        var actor = new TestActor(
            "reserve",
            _ => throw new InvalidOperationException("Out of stock"),
            new ActorOptions { MaxRetries = 0 },
            hasResult: true);
        var sent = await broker.CreateClient().SendAsync(TestMessages.Create("reserve"));

        await broker.RunUntilIdleAsync(new ActorRegistry([actor]), s_keepGoing);

        var handle = new TaskHandle<int>(sent, TypedTasksJsonContext.Default.Int32);
        var failure = await Assert.ThrowsAsync<TaskFailedException>(() => handle.GetResultAsync(BrokerWaits.Generous));
        Assert.Equal(sent.Id, failure.TaskId);
        Assert.Equal("reserve", failure.Actor);
        Assert.Equal(DeadLetterReason.RetriesExhausted, failure.Error.Reason);
        Assert.Equal(typeof(InvalidOperationException).FullName, failure.Error.Type);
        Assert.Equal("Out of stock", failure.Error.Message);
        Assert.Contains("Out of stock", failure.Error.StackTrace, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Exhausted_retries_dead_letter_the_message_with_its_last_error()
    {
        await using var broker = new InMemoryBroker();
        var attempts = 0;
        var actor = new TestActor("flaky", _ => throw new TimeoutException($"attempt {++attempts}"), new ActorOptions { MaxRetries = 2 });
        await broker.CreateClient().SendAsync(TestMessages.Create("flaky"));

        await broker.RunUntilIdleAsync(new ActorRegistry([actor]), s_keepGoing);

        Assert.Equal(3, actor.Invocations);
        var deadLetter = Assert.Single(broker.GetDeadLetters(TaskMessage.DefaultQueue));
        Assert.Equal(DeadLetterReason.RetriesExhausted, deadLetter.Error.Reason);
        Assert.Equal(typeof(TimeoutException).FullName, deadLetter.Error.Type);
        Assert.Equal("attempt 3", deadLetter.Error.Message);
        Assert.Equal(3, deadLetter.Message!.Attempt);
        Assert.Equal(0, broker.GetScheduledCount());
    }

    [Fact]
    public async Task The_worker_default_retry_count_applies_when_the_actor_sets_none()
    {
        await using var broker = new InMemoryBroker();
        var actor = TestActor.Failing("flaky", () => new InvalidOperationException("again"));
        await broker.CreateClient().SendAsync(TestMessages.Create("flaky"));

        await broker.RunUntilIdleAsync(new ActorRegistry([actor]), new InMemoryRunOptions { FailFast = false, Worker = new WorkerOptions { DefaultMaxRetries = 4 } });

        Assert.Equal(5, actor.Invocations);
        Assert.Equal(DeadLetterReason.RetriesExhausted, Assert.Single(broker.GetDeadLetters()).Error.Reason);
    }

    [Fact]
    public async Task NonRetryableException_dead_letters_after_one_attempt()
    {
        await using var broker = new InMemoryBroker();
        var actor = TestActor.Failing("charge", () => new NonRetryableException("Card declined"));
        await broker.CreateClient().SendAsync(TestMessages.Create("charge"));

        await broker.RunUntilIdleAsync(new ActorRegistry([actor]), s_keepGoing);

        Assert.Equal(1, actor.Invocations);
        var deadLetter = Assert.Single(broker.GetDeadLetters());
        Assert.Equal(DeadLetterReason.NonRetryable, deadLetter.Error.Reason);
        Assert.Equal("Card declined", deadLetter.Error.Message);
    }

    [Fact]
    public async Task The_actor_retry_filter_stops_retries_for_the_types_it_rejects_only()
    {
        await using var broker = new InMemoryBroker();
        static bool DoNotRetryOnArgumentException(Exception exception) => exception is not ArgumentException;
        var rejected = TestActor.Failing("rejected", () => new ArgumentOutOfRangeException("amount"), new ActorOptions { MaxRetries = 3 }, DoNotRetryOnArgumentException);
        var retried = TestActor.Failing("retried", () => new InvalidOperationException("transient"), new ActorOptions { MaxRetries = 3 }, DoNotRetryOnArgumentException);
        await broker.CreateClient().SendManyAsync([TestMessages.Create("rejected"), TestMessages.Create("retried")]);

        await broker.RunUntilIdleAsync(new ActorRegistry([rejected, retried]), s_keepGoing);

        Assert.Equal(1, rejected.Invocations);
        Assert.Equal(4, retried.Invocations);
        var reasons = broker.GetDeadLetters().ToDictionary(d => d.Message!.Actor, d => d.Error.Reason);
        Assert.Equal(DeadLetterReason.NonRetryable, reasons["rejected"]);
        Assert.Equal(DeadLetterReason.RetriesExhausted, reasons["retried"]);
    }

    [Fact]
    public async Task TaskArgumentException_dead_letters_as_invalid_arguments()
    {
        await using var broker = new InMemoryBroker();
        var actor = TestActor.Failing("parse", () => new TaskArgumentException("Parameter 'to' is missing"));
        await broker.CreateClient().SendAsync(TestMessages.Create("parse"));

        await broker.RunUntilIdleAsync(new ActorRegistry([actor]), s_keepGoing);

        Assert.Equal(1, actor.Invocations);
        var deadLetter = Assert.Single(broker.GetDeadLetters());
        Assert.Equal(DeadLetterReason.InvalidArguments, deadLetter.Error.Reason);
        Assert.Equal("Parameter 'to' is missing", deadLetter.Error.Message);
    }

    [Fact]
    public async Task An_unknown_actor_is_dead_lettered_and_the_worker_keeps_running()
    {
        await using var broker = new InMemoryBroker();
        var known = TestActor.Noop("known");
        await using var worker = new TaskWorker(broker, new ActorRegistry([known]), new WorkerOptions { UnknownActorMaxRetries = 0 });
        await worker.StartAsync();
        var client = broker.CreateClient();

        var ghost = await client.SendAsync(TestMessages.Create("ghost"));
        await broker.WaitUntilAsync(b => b.GetDeadLetters().Count == 1, "the unknown actor's message was dead-lettered");
        await client.SendAsync(TestMessages.Create("known"));
        await broker.WaitUntilAsync(_ => known.Invocations == 1 && broker.GetInFlightCount() == 0, "the known actor ran");

        var deadLetter = Assert.Single(broker.GetDeadLetters());
        Assert.Equal(DeadLetterReason.UnknownActor, deadLetter.Error.Reason);
        Assert.Contains("'ghost'", deadLetter.Error.Message, StringComparison.Ordinal);
        var failure = await Assert.ThrowsAsync<TaskFailedException>(() => ghost.WaitAsync(BrokerWaits.Generous));
        Assert.Equal(DeadLetterReason.UnknownActor, failure.Error.Reason);
    }

    [Fact]
    public async Task A_message_past_its_age_limit_is_expired_without_running()
    {
        var time = new FakeTimeProvider();
        await using var broker = new InMemoryBroker(time);
        var stale = TestActor.Noop("stale", new ActorOptions { MaxAge = TimeSpan.FromMinutes(1), StoreResults = true });
        var fresh = TestActor.Noop("fresh", new ActorOptions { MaxAge = TimeSpan.FromMinutes(5) });
        var client = broker.CreateClient();
        var staleHandle = await client.SendAsync(TestMessages.Create("stale"));
        await client.SendAsync(TestMessages.Create("fresh"));
        time.Advance(TimeSpan.FromMinutes(2));

        await broker.RunUntilIdleAsync(new ActorRegistry([stale, fresh]));

        Assert.Equal(0, stale.Invocations);
        Assert.Equal(1, fresh.Invocations);
        Assert.Equal(DeadLetterReason.Expired, Assert.Single(broker.GetDeadLetters()).Error.Reason);
        var failure = await Assert.ThrowsAsync<TaskFailedException>(() => staleHandle.WaitAsync(BrokerWaits.Generous));
        Assert.Equal(DeadLetterReason.Expired, failure.Error.Reason);
    }

    [Fact]
    public async Task The_worker_default_age_limit_applies_when_the_actor_sets_none()
    {
        var time = new FakeTimeProvider();
        await using var broker = new InMemoryBroker(time);
        var actor = TestActor.Noop("old");
        await broker.CreateClient().SendAsync(TestMessages.Create("old"));
        time.Advance(TimeSpan.FromHours(2));

        await broker.RunUntilIdleAsync(
            new ActorRegistry([actor]),
            new InMemoryRunOptions { Worker = new WorkerOptions { TimeProvider = time, DefaultMaxAge = TimeSpan.FromHours(1) } });

        Assert.Equal(0, actor.Invocations);
        Assert.Equal(DeadLetterReason.Expired, Assert.Single(broker.GetDeadLetters()).Error.Reason);
    }

    private sealed class FailureRecorder(Action<string> record) : IProcessMiddleware
    {
        public async ValueTask ProcessAsync(TaskContext context, ProcessDelegate next)
        {
            try
            {
                await next(context);
            }
            catch (Exception)
            {
                record("failed " + context.Message.Actor);
                throw;
            }
        }
    }
}
