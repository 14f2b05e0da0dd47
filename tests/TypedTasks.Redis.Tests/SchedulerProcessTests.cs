using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;
using TypedTasks.Redis.Tests.Infrastructure;

namespace TypedTasks.Redis.Tests;

/// <summary>
/// Four scheduler processes on a per-second schedule, on the real clock; one is killed with SIGKILL midway. Every
/// second from the schedule's creation to the last tick sent is sent exactly once: no tick lost, none doubled.
/// </summary>
public abstract class SchedulerProcessTests(RedisTarget target)
{
    [Fact]
    public async Task Four_scheduler_processes_one_killed_send_every_tick_exactly_once()
    {
        var prefix = "p" + Guid.NewGuid().ToString("N")[..10];
        var queue = TestMessages.Queue();
        await using var broker = await RedisBroker.ConnectAsync(target.ConnectionString, new RedisBrokerOptions { KeyPrefix = prefix, PollInterval = TimeSpan.FromMilliseconds(250) });
        var schedules = new TaskSchedules(broker);
        await schedules.SetAsync("every-second", "* * * * * *", new TaskRequest("test.actor", queue, "{}"u8.ToArray()));
        var setAt = (await schedules.GetAsync("every-second"))!.LastTick;

        var processes = new List<Process>();
        try
        {
            for (var i = 0; i < 4; i++)
            {
                processes.Add(TestWorkerProcess.Start("scheduler", target.ConnectionString, prefix));
            }

            foreach (var process in processes)
            {
                await process.ReadLineStartingWithAsync("READY", TimeSpan.FromSeconds(30));
            }

            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            await using var consumer = await broker.CreateConsumerAsync(TestMessages.For(queue));
            await CountAsync(consumer, counts, TimeSpan.FromSeconds(5));
            processes[0].Kill();
            await processes[0].WaitForExitAsync();
            await CountAsync(consumer, counts, TimeSpan.FromSeconds(7));
            foreach (var process in processes)
            {
                process.Kill();
                await process.WaitForExitAsync();
            }

            await CountAsync(consumer, counts, TimeSpan.FromSeconds(1));

            var doubled = counts.Where(static c => c.Value > 1).Select(static c => c.Key).ToArray();
            Assert.True(doubled.Length == 0, "Sent more than once: " + string.Join(", ", doubled));
            var ticks = counts.Keys.Select(static id => long.Parse(id[(id.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture)).Order().ToArray();
            Assert.True(ticks.Length >= 10, $"only {ticks.Length} ticks were sent in about 12 seconds");
            var first = (setAt.ToUnixTimeMilliseconds() / 1000 + 1) * 1000;
            var expected = Enumerable.Range(0, (int)((ticks[^1] - first) / 1000) + 1).Select(i => first + (i * 1000L)).ToArray();
            var lost = expected.Except(ticks).ToArray();
            Assert.True(lost.Length == 0, "Ticks never sent: " + string.Join(", ", lost.Select(static t => DateTimeOffset.FromUnixTimeMilliseconds(t).ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture))));
            Assert.Equal(expected, ticks);
        }
        finally
        {
            foreach (var process in processes)
            {
                if (!process.HasExited)
                {
                    process.Kill();
                }

                process.Dispose();
            }
        }
    }

    private static async Task CountAsync(Brokers.ITaskConsumer consumer, Dictionary<string, int> counts, TimeSpan duration)
    {
        var until = Stopwatch.StartNew();
        while (until.Elapsed < duration)
        {
            foreach (var delivery in await consumer.ReceiveManyAsync(64, TimeSpan.FromMilliseconds(300)))
            {
                counts[delivery.Message.Id] = counts.GetValueOrDefault(delivery.Message.Id) + 1;
                await consumer.AckAsync(delivery);
            }
        }
    }
}

[Collection(StandaloneCollection.Name)]
public sealed class StandaloneSchedulerProcessTests(StandaloneRedis redis) : SchedulerProcessTests(redis);

[Collection(ClusterCollection.Name)]
public sealed class ClusterSchedulerProcessTests(ClusterRedis redis) : SchedulerProcessTests(redis);
