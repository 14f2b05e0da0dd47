using System;
using System.Linq;
using System.Text;
using System.Threading.Tasks;

namespace TypedTasks.Generators.Tests.Runtime;

/// <summary>The schedules the generator emitted for <c>Actors/ScheduledActors.cs</c>, as a scheduler reads them.</summary>
public sealed class ScheduledActorTests
{
    [Fact]
    public void The_registry_carries_each_declared_schedule_without_reflection()
    {
        var declared = PeriodicScheduler.DeclaredSchedules(Tasks.Registry)
            .Where(static s => s.Actor.StartsWith("scheduled.", StringComparison.Ordinal))
            .OrderBy(static s => s.Name, StringComparer.Ordinal)
            .Select(static s => (s.Name, s.Cron, s.TimeZone, s.Actor, s.Queue, Args: Encoding.UTF8.GetString(s.Arguments.Span), s.IsDeclared))
            .ToArray();

        Assert.Equal(
            [
                ("scheduled.heartbeat", "*/10 * * * * *", null, "scheduled.heartbeat", "default", "{}", true),
                ("scheduled.monday-noon", "0 12 * * MON", null, "scheduled.nightly", "default", "{}", true),
                ("scheduled.nightly", "0 3 * * *", "Europe/Berlin", "scheduled.nightly", "default", "{}", true),
            ],
            declared);
        Assert.True(Tasks.Registry.TryGetActor("scheduled.unscheduled", out var unscheduled));
        Assert.Empty(unscheduled.Schedules);
    }

    [Fact]
    public async Task A_declared_schedule_is_written_at_start_and_its_message_runs_with_the_defaults()
    {
        await using var broker = new InMemoryBroker();
        await using (var scheduler = new PeriodicScheduler(broker, Tasks.Registry))
        {
            await scheduler.StartAsync();
            // The scheduler writes them in the background, at once on the in-memory broker.
            for (var i = 0; i < 200 && (await new TaskSchedules(broker).ListAsync()).Count < 3; i++)
            {
                await Task.Delay(25);
            }
        }

        Assert.Equal(
            ["scheduled.heartbeat", "scheduled.monday-noon", "scheduled.nightly"],
            (await new TaskSchedules(broker).ListAsync()).Where(static s => s.IsDeclared).Select(static s => s.Name));
        var nightly = await new TaskSchedules(broker).GetAsync("scheduled.nightly");
        Assert.NotNull(nightly);
        var message = nightly.MessageFor(DateTimeOffset.UnixEpoch.AddDays(1), DateTimeOffset.UtcNow);
        Assert.Equal("sched:scheduled.nightly:86400000", message.Id);
        await ActorInvoker.InvokeRawAsync(message.Actor, Encoding.UTF8.GetString(message.Arguments.Span));
    }
}
