using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using TypedTasks.Hosting.Tests.Infrastructure;

namespace TypedTasks.Hosting.Tests;

/// <summary>The scheduler that AddTypedTasks runs next to the worker.</summary>
public sealed class SchedulerHostTests
{
    [Fact]
    public async Task A_host_registers_the_declared_schedules_and_sends_the_ticks_of_run_time_ones()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero));
        var builder = TestHosts.CreateBuilder();
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddTypedTasks(Tasks.Registry);
        using var host = builder.Build();
        await host.StartAsync();
        var schedules = host.Services.GetRequiredService<TaskSchedules>();

        await Eventually.UntilAsync(async () => await schedules.GetAsync("hosting.new-year") is not null, "the declared schedule is registered");
        Assert.NotNull(host.Services.GetServices<IHostedService>().OfType<TypedTasksWorkerService>().Single().Scheduler);
        var declared = await schedules.GetAsync("hosting.new-year");
        Assert.True(declared!.IsDeclared);
        Assert.Equal("0 0 1 1 *", declared.Cron);
        Assert.Equal("Europe/Berlin", declared.TimeZone);

        await schedules.SetAsync("add-every-10s", "*/10 * * * * *", Tasks.HostingActors.Add.Message(2, 3));
        var tick = new DateTimeOffset(2026, 6, 1, 12, 0, 10, TimeSpan.Zero);
        var results = host.Services.GetRequiredService<ITaskBroker>().Results;
        await Eventually.UntilAsync(
            async () =>
            {
                time.Advance(TimeSpan.FromSeconds(1));
                return await results.GetAsync(TaskSchedule.TaskIdFor("add-every-10s", tick)) is not null;
            },
            "the tick at 12:00:10 ran hosting.add(2, 3)");
        var outcome = await results.GetAsync(TaskSchedule.TaskIdFor("add-every-10s", tick));
        Assert.True(outcome!.Succeeded);
        Assert.Equal("5", System.Text.Encoding.UTF8.GetString(outcome.Value.Span));
        await host.StopAsync();
    }

    [Fact]
    public async Task Scheduler_Enabled_false_or_a_host_without_a_worker_runs_no_scheduler()
    {
        foreach (var (settings, withoutWorker) in new[]
        {
            (new Dictionary<string, string?> { ["TypedTasks:Scheduler:Enabled"] = "false" }, false),
            (new Dictionary<string, string?>(), true),
        })
        {
            var builder = TestHosts.CreateBuilder(settings);
            var tasks = builder.Services.AddTypedTasks(Tasks.Registry, builder.Configuration.GetSection("TypedTasks"));
            if (withoutWorker)
            {
                tasks.WithoutWorker();
            }

            using var host = builder.Build();
            await host.StartAsync();
            var service = host.Services.GetServices<IHostedService>().OfType<TypedTasksWorkerService>().Single();
            if (!withoutWorker)
            {
                // The scheduler would start right after the worker: let a task prove the worker runs, then look.
                var handle = await Tasks.HostingActors.Add.SendAsync(host.Services.GetRequiredService<ITaskClient>(), 1, 2);
                Assert.Equal(3, await handle.GetResultAsync(TestHosts.Timeout));
                await Task.Delay(200);
            }

            Assert.Null(service.Scheduler);
            Assert.Empty(await host.Services.GetRequiredService<TaskSchedules>().ListAsync());
            await host.StopAsync();
        }
    }

    [Fact]
    public void Scheduler_settings_bind_from_configuration_and_code_wins()
    {
        var builder = TestHosts.CreateBuilder(new Dictionary<string, string?>
        {
            ["TypedTasks:Scheduler:MissedTicks"] = "Skip",
            ["TypedTasks:Scheduler:MissedTickThreshold"] = "00:00:10",
            ["TypedTasks:Scheduler:RefreshInterval"] = "00:00:02",
        });
        builder.Services.AddTypedTasks(Tasks.Registry, builder.Configuration.GetSection("TypedTasks"))
            .ConfigureScheduler(static o => o.RefreshInterval = TimeSpan.FromSeconds(3));
        using var host = builder.Build();

        var options = host.Services.GetRequiredService<IOptions<SchedulerOptions>>().Value;
        Assert.True(options.Enabled);
        Assert.Equal(MissedTickPolicy.Skip, options.MissedTicks);
        Assert.Equal(TimeSpan.FromSeconds(10), options.MissedTickThreshold);
        Assert.Equal(TimeSpan.FromSeconds(3), options.RefreshInterval);
        Assert.Same(host.Services.GetRequiredService<TimeProvider>(), options.TimeProvider);
    }
}
