using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;
using TypedTasks.Brokers;

namespace TypedTasks.Testing;

/// <summary>
/// The schedule contract — <see cref="IScheduleStore"/> through <see cref="TaskSchedules"/> and
/// <see cref="PeriodicScheduler"/> — by behaviour only. Run against the in-memory broker (TypedTasks.Tests), a
/// standalone redis-server and a three-master Cluster (TypedTasks.Redis.Tests). The schedulers run on a
/// <see cref="FakeTimeProvider"/> in every runner: the store keeps whatever times the schedulers give it.
/// </summary>
public abstract class ScheduleContract
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(400);

    /// <summary><paramref name="count"/> brokers over the same schedules and queues (on Redis: one connection each, as
    /// separate processes would have; in memory: the same broker).</summary>
    protected abstract Task<ITaskBroker[]> CreateBrokersAsync(int count);

    [Fact]
    public async Task Schedules_are_set_listed_changed_and_removed()
    {
        var brokers = await CreateBrokersAsync(2);
        try
        {
            var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 10, 0, 0, TimeSpan.Zero));
            var schedules = new TaskSchedules(brokers[0], time);
            var queue = TestMessages.Queue();
            var request = Request(queue, """{"n":42}""");

            Assert.True(await schedules.SetAsync("report-b", "0 3 * * *", request, "Europe/Berlin"));
            Assert.True(await schedules.SetAsync("report-a", "*/10 * * * * *", request));
            Assert.False(await schedules.SetAsync("report-a", "*/10 * * * * *", request));

            // Another instance sees them.
            var other = new TaskSchedules(brokers[1], time);
            var listed = await other.ListAsync();
            Assert.Equal(["report-a", "report-b"], listed.Select(static s => s.Name));
            var b = listed[1];
            Assert.Equal("0 3 * * *", b.Cron);
            Assert.Equal("Europe/Berlin", b.TimeZone);
            Assert.Equal("test.actor", b.Actor);
            Assert.Equal(queue, b.Queue);
            Assert.Equal("""{"n":42}""", Encoding.UTF8.GetString(b.Arguments.Span));
            Assert.False(b.IsDeclared);
            Assert.Equal(time.GetUtcNow(), b.LastTick);
            Assert.Null(listed[0].TimeZone);

            // A change gets a new version and starts from the change; an unchanged set keeps both.
            time.Advance(TimeSpan.FromMinutes(5));
            Assert.True(await other.SetAsync("report-b", "0 4 * * *", request, "Europe/Berlin"));
            var changed = await schedules.GetAsync("report-b");
            Assert.NotNull(changed);
            Assert.Equal("0 4 * * *", changed.Cron);
            Assert.NotEqual(b.Version, changed.Version);
            Assert.Equal(time.GetUtcNow(), changed.LastTick);

            Assert.True(await schedules.RemoveAsync("report-b"));
            Assert.False(await schedules.RemoveAsync("report-b"));
            Assert.Null(await other.GetAsync("report-b"));
            Assert.Equal(["report-a"], (await other.ListAsync()).Select(static s => s.Name));
        }
        finally
        {
            await DisposeAllAsync(brokers);
        }
    }

    [Fact]
    public async Task A_bad_cron_expression_time_zone_name_or_message_is_refused_naming_it()
    {
        var brokers = await CreateBrokersAsync(1);
        try
        {
            var schedules = new TaskSchedules(brokers[0]);
            var request = Request(TestMessages.Queue());

            var cron = await Assert.ThrowsAsync<ArgumentException>(async () => await schedules.SetAsync("s", "61 * * * *", request));
            Assert.Contains("'61 * * * *' is not a valid cron expression", cron.Message, StringComparison.Ordinal);
            Assert.Equal("cron", cron.ParamName);

            var fields = await Assert.ThrowsAsync<ArgumentException>(async () => await schedules.SetAsync("s", "* * *", request));
            Assert.Contains("'* * *'", fields.Message, StringComparison.Ordinal);

            var zone = await Assert.ThrowsAsync<ArgumentException>(async () => await schedules.SetAsync("s", "* * * * *", request, "Mars/Olympus_Mons"));
            Assert.Contains("'Mars/Olympus_Mons'", zone.Message, StringComparison.Ordinal);

            var name = await Assert.ThrowsAsync<ArgumentException>(async () => await schedules.SetAsync("has space", "* * * * *", request));
            Assert.Contains("has space", name.Message, StringComparison.Ordinal);
            await Assert.ThrowsAsync<ArgumentException>(async () => await schedules.SetAsync(new string('n', 101), "* * * * *", request));

            var withId = await Assert.ThrowsAsync<ArgumentException>(async () => await schedules.SetAsync(
                "s", "* * * * *", new TaskRequest("test.actor", "q", "{}"u8.ToArray(), new SendOptions { TaskId = "fixed" })));
            Assert.Contains("task id", withId.Message, StringComparison.Ordinal);

            Assert.Empty(await schedules.ListAsync());
        }
        finally
        {
            await DisposeAllAsync(brokers);
        }
    }

    [Fact]
    public async Task Of_concurrent_claims_of_one_tick_exactly_one_wins_and_sends_one_message()
    {
        var brokers = await CreateBrokersAsync(4);
        try
        {
            var setAt = new DateTimeOffset(2026, 1, 5, 10, 0, 0, TimeSpan.Zero);
            var queue = TestMessages.Queue();
            await new TaskSchedules(brokers[0], new FakeTimeProvider(setAt)).SetAsync("claimed", "* * * * *", Request(queue, """{"n":7}"""));
            var schedule = (await brokers[1].Schedules!.GetAsync("claimed"))!;
            var tick = setAt.AddMinutes(1);

            // Every broker claims the same tick from the same stale read, twice over.
            var claims = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
                brokers[i % brokers.Length].Schedules!.ClaimTickAsync(schedule, tick, send: true, tick.AddMilliseconds(5)).AsTask()));
            Assert.Single(claims, static c => c.Status == TickClaimStatus.Claimed);
            Assert.All(claims, c => Assert.Equal(tick, c.LastTick));
            Assert.Equal(7, claims.Count(static c => c.Status == TickClaimStatus.AlreadyClaimed));

            // An earlier tick can no longer be claimed; a stale version or a removed schedule is said so.
            Assert.Equal(TickClaimStatus.AlreadyClaimed, (await brokers[2].Schedules!.ClaimTickAsync(schedule, setAt.AddSeconds(30), true, tick)).Status);
            await new TaskSchedules(brokers[0], new FakeTimeProvider(tick)).SetAsync("claimed", "*/2 * * * *", Request(queue));
            Assert.Equal(TickClaimStatus.Changed, (await brokers[3].Schedules!.ClaimTickAsync(schedule, tick.AddMinutes(1), true, tick)).Status);
            await new TaskSchedules(brokers[0]).RemoveAsync("claimed");
            Assert.Equal(TickClaimStatus.Removed, (await brokers[3].Schedules!.ClaimTickAsync(schedule, tick.AddMinutes(2), true, tick)).Status);

            await using var consumer = await brokers[0].CreateConsumerAsync(TestMessages.For(queue));
            var delivery = await consumer.ReceiveOneAsync(TimeSpan.FromSeconds(10));
            Assert.NotNull(delivery);
            Assert.Equal(TaskSchedule.TaskIdFor("claimed", tick), delivery.Message.Id);
            Assert.Equal("sched:claimed:" + tick.ToUnixTimeMilliseconds(), delivery.Message.Id);
            Assert.Equal("test.actor", delivery.Message.Actor);
            Assert.Equal("""{"n":7}""", Encoding.UTF8.GetString(delivery.Message.Arguments.Span));
            Assert.Equal(tick.AddMilliseconds(5).ToUnixTimeMilliseconds(), delivery.Message.EnqueuedAt.ToUnixTimeMilliseconds());
            await consumer.AckAsync(delivery);
            Assert.Null(await consumer.ReceiveOneAsync(Quiet));
        }
        finally
        {
            await DisposeAllAsync(brokers);
        }
    }

    [Fact]
    public async Task Four_schedulers_send_each_of_sixty_ticks_exactly_once()
    {
        var brokers = await CreateBrokersAsync(4);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 10, 0, 0, TimeSpan.Zero));
        var schedulers = new List<PeriodicScheduler>();
        try
        {
            var queue = TestMessages.Queue();
            await new TaskSchedules(brokers[0], time).SetAsync("every-second", "* * * * * *", Request(queue));
            var start = time.GetUtcNow();
            foreach (var broker in brokers)
            {
                var scheduler = new PeriodicScheduler(broker, options: Options(time, TimeSpan.FromHours(1)));
                schedulers.Add(scheduler);
                await scheduler.StartAsync();
            }

            for (var i = 0; i < 60; i++)
            {
                time.Advance(TimeSpan.FromSeconds(1));
                await Task.Delay(15);
            }

            var expected = Enumerable.Range(1, 60).Select(i => TaskSchedule.TaskIdFor("every-second", start.AddSeconds(i))).ToHashSet();
            var counts = await CollectAsync(brokers[0], queue, time, ids => expected.IsSubsetOf(ids.Keys));
            var doubled = counts.Where(static c => c.Value > 1).Select(static c => c.Key).ToArray();
            Assert.True(doubled.Length == 0, "Sent more than once: " + string.Join(", ", doubled));
            Assert.Empty(expected.Except(counts.Keys));
        }
        finally
        {
            foreach (var scheduler in schedulers)
            {
                await scheduler.DisposeAsync();
            }

            await DisposeAllAsync(brokers);
        }
    }

    [Theory]
    [InlineData(MissedTickPolicy.FireOnce)]
    [InlineData(MissedTickPolicy.Skip)]
    public async Task Ticks_missed_while_no_scheduler_ran_follow_the_policy(MissedTickPolicy policy)
    {
        var brokers = await CreateBrokersAsync(1);
        var setAt = new DateTimeOffset(2026, 1, 5, 10, 0, 30, TimeSpan.Zero);
        var time = new FakeTimeProvider(setAt);
        try
        {
            var queue = TestMessages.Queue();
            await new TaskSchedules(brokers[0], time).SetAsync("minutely", "* * * * *", Request(queue));

            // Nobody runs for ten minutes: ticks 10:01 … 10:10 pass. With a one-minute threshold, 10:10 (30 s late)
            // is merely late and sent as itself; 10:01 … 10:09 are missed.
            time.Advance(TimeSpan.FromMinutes(10));
            var options = Options(time, TimeSpan.FromMinutes(1));
            options.MissedTicks = policy;
            await using var scheduler = new PeriodicScheduler(brokers[0], options: options);
            await scheduler.StartAsync();

            var late = TaskSchedule.TaskIdFor("minutely", setAt.AddSeconds(570));
            var counts = await CollectAsync(brokers[0], queue, time, ids => ids.ContainsKey(late), advance: false);
            var expected = policy == MissedTickPolicy.FireOnce
                ? new[] { TaskSchedule.TaskIdFor("minutely", setAt.AddSeconds(510)), late }
                : [late];
            Assert.Equal(expected.Order(StringComparer.Ordinal), counts.Keys.Order(StringComparer.Ordinal));
            Assert.All(counts.Values, static c => Assert.Equal(1, c));

            var stored = await new TaskSchedules(brokers[0], time).GetAsync("minutely");
            Assert.Equal(setAt.AddSeconds(570), stored!.LastTick);
        }
        finally
        {
            await DisposeAllAsync(brokers);
        }
    }

    [Fact]
    public async Task Spring_forward_sends_the_skipped_local_time_once_at_the_jump()
    {
        // Europe/Berlin, 29 March 2026: 02:00 CET becomes 03:00 CEST; 02:30 does not exist that night.
        var ticks = await RunAcrossAsync(
            new DateTimeOffset(2026, 3, 28, 23, 0, 0, TimeSpan.Zero), TimeSpan.FromHours(3), "30 2 * * *", "Europe/Berlin", expectedCount: 1);
        Assert.Equal([new DateTimeOffset(2026, 3, 29, 1, 0, 0, TimeSpan.Zero)], ticks);   // 03:00 CEST, the first moment after the jump
    }

    [Fact]
    public async Task Fall_back_sends_a_repeated_local_time_once()
    {
        // Europe/Berlin, 25 October 2026: 03:00 CEST becomes 02:00 CET; 02:30 happens twice (00:30 and 01:30 UTC).
        var ticks = await RunAcrossAsync(
            new DateTimeOffset(2026, 10, 24, 22, 0, 0, TimeSpan.Zero), TimeSpan.FromHours(4), "30 2 * * *", "Europe/Berlin", expectedCount: 1);
        Assert.Equal([new DateTimeOffset(2026, 10, 25, 0, 30, 0, TimeSpan.Zero)], ticks);   // the first 02:30 (CEST) only
    }

    [Fact]
    public async Task A_removed_schedule_stops_and_a_changed_one_follows_its_new_expression()
    {
        var brokers = await CreateBrokersAsync(1);
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 10, 0, 0, TimeSpan.Zero));
        try
        {
            var queue = TestMessages.Queue();
            var schedules = new TaskSchedules(brokers[0], time);
            await schedules.SetAsync("changing", "*/10 * * * * *", Request(queue));
            var options = Options(time, TimeSpan.FromHours(1));
            await using var scheduler = new PeriodicScheduler(brokers[0], options: options);
            await scheduler.StartAsync();

            var first = TaskSchedule.TaskIdFor("changing", time.GetUtcNow().AddSeconds(10));
            var counts = await CollectAsync(brokers[0], queue, time, ids => ids.ContainsKey(first));
            Assert.All(counts.Keys, static id => Assert.EndsWith("0000", id, StringComparison.Ordinal));   // every 10 s

            // Every 7 s from the change (second 0, 7, 14 … of each minute): only ticks of the new expression follow.
            await schedules.SetAsync("changing", "*/7 * * * * *", Request(queue));
            var changedAt = time.GetUtcNow();
            var next = TaskSchedule.TaskIdFor("changing", new TaskSchedule { Name = "changing", Cron = "*/7 * * * * *", Actor = "a", Queue = "q", Arguments = "{}"u8.ToArray() }.NextTickAfter(changedAt)!.Value);
            var after = await CollectAsync(brokers[0], queue, time, ids => ids.ContainsKey(next));
            Assert.All(after.Keys, id => Assert.True(
                long.Parse(id[(id.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture) > changedAt.ToUnixTimeMilliseconds()
                || DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(id[(id.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture)).Second % 10 == 0,
                id));

            await schedules.RemoveAsync("changing");
            // Give the scheduler two refresh intervals to notice, then nothing more arrives however long time runs.
            time.Advance(TimeSpan.FromSeconds(11));
            await Task.Delay(Quiet);
            await DrainAsync(brokers[0], queue);
            var stopped = await CollectAsync(brokers[0], queue, time, static _ => false, steps: 30);
            Assert.Empty(stopped);
        }
        finally
        {
            await DisposeAllAsync(brokers);
        }
    }

    private async Task<DateTimeOffset[]> RunAcrossAsync(DateTimeOffset start, TimeSpan span, string cron, string timeZone, int expectedCount)
    {
        var brokers = await CreateBrokersAsync(1);
        var time = new FakeTimeProvider(start);
        try
        {
            var queue = TestMessages.Queue();
            await new TaskSchedules(brokers[0], time).SetAsync("dst", cron, Request(queue), timeZone);
            await using var scheduler = new PeriodicScheduler(brokers[0], options: Options(time, TimeSpan.FromDays(1)));
            await scheduler.StartAsync();
            for (var passed = TimeSpan.Zero; passed < span; passed += TimeSpan.FromMinutes(5))
            {
                time.Advance(TimeSpan.FromMinutes(5));
                await Task.Delay(10);
            }

            var counts = await CollectAsync(brokers[0], queue, time, ids => ids.Count >= expectedCount, advance: false);
            Assert.All(counts.Values, static c => Assert.Equal(1, c));
            return counts.Keys
                .Select(static id => DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(id[(id.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture)))
                .Order()
                .ToArray();
        }
        finally
        {
            await DisposeAllAsync(brokers);
        }
    }

    private static SchedulerOptions Options(TimeProvider time, TimeSpan missedTickThreshold) => new()
    {
        TimeProvider = time,
        MissedTickThreshold = missedTickThreshold,
        RefreshInterval = TimeSpan.FromSeconds(5),
    };

    private static TaskRequest Request(string queue, string json = "{}") => new("test.actor", queue, Encoding.UTF8.GetBytes(json));

    /// <summary>
    /// Receives the queue's messages, counting them by task id, until <paramref name="done"/> holds and then for a quiet
    /// spell (a duplicate would show up). Each round lets a second pass on the fake clock, unless told not to, so a
    /// scheduler that armed its timer after the last advance still wakes.
    /// </summary>
    private static async Task<Dictionary<string, int>> CollectAsync(
        ITaskBroker broker, string queue, FakeTimeProvider time, Func<Dictionary<string, int>, bool> done, bool advance = true, int steps = 200)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        await using var consumer = await broker.CreateConsumerAsync(TestMessages.For(queue));
        var satisfied = false;
        for (var round = 0; round < steps; round++)
        {
            var delivery = await consumer.ReceiveOneAsync(TimeSpan.FromMilliseconds(100));
            while (delivery is not null)
            {
                counts[delivery.Message.Id] = counts.GetValueOrDefault(delivery.Message.Id) + 1;
                await consumer.AckAsync(delivery);
                delivery = await consumer.ReceiveOneAsync(TimeSpan.FromMilliseconds(50));
            }

            if (satisfied)
            {
                break;
            }

            if (done(counts))
            {
                satisfied = true;
                await Task.Delay(Quiet);
                continue;
            }

            if (advance)
            {
                time.Advance(TimeSpan.FromSeconds(1));
            }
            else
            {
                // Nudge a timer armed late by a hair, without reaching another tick of a coarse schedule.
                time.Advance(TimeSpan.FromMilliseconds(1));
            }
        }

        return counts;
    }

    private static async Task DrainAsync(ITaskBroker broker, string queue)
    {
        await using var consumer = await broker.CreateConsumerAsync(TestMessages.For(queue));
        while (await consumer.ReceiveOneAsync(TimeSpan.FromMilliseconds(100)) is { } delivery)
        {
            await consumer.AckAsync(delivery);
        }
    }

    private static async Task DisposeAllAsync(ITaskBroker[] brokers)
    {
        foreach (var broker in brokers.Distinct())
        {
            await broker.DisposeAsync();
        }
    }
}
