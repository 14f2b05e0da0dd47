using System;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;
using TypedTasks.Tests.Support;

namespace TypedTasks.Tests.Worker;

/// <summary>
/// <see cref="TaskWorker.LastActivityAt"/>, the signal the "worker loop alive" health check reads: it follows a working
/// receive loop, stays behind a failing one, and is absent before the start and after the stop.
/// </summary>
public sealed class WorkerLivenessTests
{
    [Fact]
    public async Task An_idle_worker_on_a_waiting_consumer_is_alive_and_a_stopped_one_reports_nothing()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var broker = new InMemoryBroker(time);
        var worker = new TaskWorker(broker, new ActorRegistry([TestActor.Noop("work")]), new WorkerOptions { TimeProvider = time });
        Assert.Null(worker.LastActivityAt);
        Assert.False(worker.IsRunning);

        await worker.StartAsync();
        time.Advance(TimeSpan.FromMinutes(5));

        // The in-memory consumer waits on a signal and cannot stall: while it waits, the loop counts as alive.
        Assert.True(worker.IsRunning);
        await TypedTasks.Testing.Eventually.UntilAsync(() => worker.LastActivityAt == time.GetUtcNow(), "the waiting loop counts as alive now");

        await worker.StopAsync();
        Assert.False(worker.IsRunning);
        Assert.Null(worker.LastActivityAt);
    }

    [Fact]
    public async Task A_receive_loop_that_keeps_failing_shows_no_progress_while_it_retries()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var inner = new InMemoryBroker(time);
        var broker = new FlakyBroker(inner, failingReceives: 1_000, failingAcks: 0);
        var logger = new ListLogger();
        await using var worker = new TaskWorker(broker, new ActorRegistry([TestActor.Noop("work")]), new WorkerOptions { TimeProvider = time }, logger: logger);
        await worker.StartAsync();

        // The first receive fails at once (no backoff before it): the clock stands still until then, so the stamp its
        // attempt left is the start time. Advancing earlier could let the loop begin its first receive after the advance.
        await TypedTasks.Testing.Eventually.UntilAsync(() => logger.Entries.Any(e => e.EventId.Id == 10), "the first receive failure was logged");
        var stamp = worker.LastActivityAt;
        Assert.NotNull(stamp);
        for (var retry = 2; retry <= 6; retry++)
        {
            // The loop logs a failure before it starts its backoff timer on the fake clock, so one advance right after
            // the log line can come too early and be missed: keep moving the clock past the backoff (at most 5 s)
            // until the next failure shows.
            await TypedTasks.Testing.Eventually.UntilAsync(
                () =>
                {
                    if (logger.Entries.Count(e => e.EventId.Id == 10) >= retry)
                    {
                        return true;
                    }

                    time.Advance(TimeSpan.FromSeconds(5));
                    return false;
                },
                $"receive failure {retry} was logged");
        }

        Assert.True(worker.IsRunning);
        Assert.Equal(stamp, worker.LastActivityAt);
        Assert.True(time.GetUtcNow() - stamp >= TimeSpan.FromSeconds(5), "the clock moved on while the loop kept failing");
    }
}
