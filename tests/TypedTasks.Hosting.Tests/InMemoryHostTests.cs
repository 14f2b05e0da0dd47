using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TypedTasks.Hosting.Tests.Actors;
using TypedTasks.Hosting.Tests.Infrastructure;

namespace TypedTasks.Hosting.Tests;

public sealed class InMemoryHostTests : IDisposable
{
    public InMemoryHostTests() => HostingActors.Reset();

    public void Dispose() => HostingActors.Gate.TrySetResult();

    [Fact]
    public async Task Instance_actor_gets_a_fresh_scoped_dependency_per_message_and_the_scope_is_disposed()
    {
        var builder = TestHosts.CreateBuilder();
        builder.Services.AddScoped<ScopedDependency>();
        builder.Services.AddTypedTasks(Tasks.Registry);
        using var host = builder.Build();
        await host.StartAsync();
        var client = host.Services.GetRequiredService<ITaskClient>();

        var first = await Tasks.ScopeProbe.WhichScope.SendAsync(client, 1);
        var second = await Tasks.ScopeProbe.WhichScope.SendAsync(client, 2);
        var firstResult = await first.GetResultAsync(TestHosts.Timeout);
        var secondResult = await second.GetResultAsync(TestHosts.Timeout);

        Assert.IsType<InMemoryBroker>(host.Services.GetRequiredService<ITaskBroker>());
        var firstScope = firstResult.Split(':')[0];
        var secondScope = secondResult.Split(':')[0];
        Assert.EndsWith(":1", firstResult, StringComparison.Ordinal);
        Assert.EndsWith(":2", secondResult, StringComparison.Ordinal);
        Assert.NotEqual(firstScope, secondScope);
        Assert.True(ScopedDependency.Disposed.ContainsKey(firstScope), "the first message's scope was not disposed");
        Assert.True(ScopedDependency.Disposed.ContainsKey(secondScope), "the second message's scope was not disposed");
        await host.StopAsync();
    }

    [Fact]
    public async Task The_injected_client_reads_a_tracked_task_s_status_and_the_worker_records_it()
    {
        var builder = TestHosts.CreateBuilder(new Dictionary<string, string?> { ["TypedTasks:Worker:ConsumerName"] = "host-worker" });
        builder.Services.AddTypedTasks(Tasks.Registry, builder.Configuration.GetSection("TypedTasks"));
        using var host = builder.Build();
        await host.StartAsync();
        var client = host.Services.GetRequiredService<ITaskClient>();

        var handle = await Tasks.HostingActors.Slow.SendAsync(client, 1, new SendOptions { TrackStatus = true });
        await HostingActors.SlowStarted.Task.WaitAsync(TestHosts.Timeout);
        await WaitUntilAsync(() => client.GetStatusAsync(handle.Id).AsTask().Result.State == TaskState.Running);
        var running = await client.GetStatusAsync(handle.Id);
        HostingActors.Gate.TrySetResult();
        await handle.GetResultAsync(TestHosts.Timeout);

        Assert.Equal("host-worker", running.Worker);
        Assert.Equal(1, running.Attempt);
        Assert.Equal(TaskState.Succeeded, (await handle.GetStatusAsync()).State);
        await host.StopAsync();
    }

    [Fact]
    public async Task TypedTasks_TrackStatus_makes_the_injected_client_track_what_actors_and_sends_leave_open()
    {
        var builder = TestHosts.CreateBuilder(new Dictionary<string, string?> { ["TypedTasks:TrackStatus"] = "true" });
        builder.Services.AddTypedTasks(Tasks.Registry, builder.Configuration.GetSection("TypedTasks")).WithoutWorker();
        using var host = builder.Build();
        await host.StartAsync();
        var client = host.Services.GetRequiredService<ITaskClient>();

        var tracked = await Tasks.HostingActors.Add.SendAsync(client, 1, 2);
        var untracked = await Tasks.HostingActors.Add.SendAsync(client, 1, 2, new SendOptions { TrackStatus = false });

        Assert.True(((TaskClient)client).TrackStatus);
        Assert.Equal(TaskState.Queued, (await tracked.GetStatusAsync()).State);
        Assert.Equal(TaskState.Unknown, (await untracked.GetStatusAsync()).State);
        await host.StopAsync();
    }

    [Fact]
    public async Task The_injected_client_sends_unique_tasks_and_cancels_a_running_one()
    {
        var builder = TestHosts.CreateBuilder(new Dictionary<string, string?> { ["TypedTasks:Worker:Queues:0"] = "slow" });
        builder.Services.AddTypedTasks(Tasks.Registry, builder.Configuration.GetSection("TypedTasks"));
        using var host = builder.Build();
        await host.StartAsync();
        var client = host.Services.GetRequiredService<ITaskClient>();

        var running = await Tasks.HostingActors.Slow.SendAsync(client, 1, new SendOptions { UniqueKey = "slow-1", TrackStatus = true });
        var duplicate = await Tasks.HostingActors.Slow.SendAsync(client, 1, new SendOptions { UniqueKey = "slow-1", TrackStatus = true });
        Assert.True(duplicate.IsDuplicate);
        Assert.Equal(running.Id, duplicate.Id);
        await HostingActors.SlowStarted.Task.WaitAsync(TestHosts.Timeout);

        Assert.Equal(CancelResult.Cancelled, await running.CancelAsync());

        var failure = await Assert.ThrowsAsync<TaskFailedException>(() => running.GetResultAsync(TestHosts.Timeout));
        Assert.True(failure.IsCancelled);
        Assert.DoesNotContain(1, HostingActors.SlowRuns);
        Assert.Equal(CancelResult.AlreadyCancelled, await client.CancelAsync(running.Id));
        // A tracked task that was cancelled reads as cancelled, with the cancellation's error.
        var status = await running.GetStatusAsync();
        Assert.Equal(TaskState.Cancelled, status.State);
        Assert.Equal(DeadLetterReason.Cancelled, status.Error?.Reason);
        await host.StopAsync();
    }

    [Fact]
    public async Task Configuration_reaches_the_worker_queues_and_concurrency()
    {
        var builder = TestHosts.CreateBuilder(new Dictionary<string, string?>
        {
            ["TypedTasks:Worker:Queues:0"] = "alpha",
            ["TypedTasks:Worker:Concurrency"] = "3",
            ["TypedTasks:Worker:ShutdownTimeout"] = "00:00:07",
        });
        builder.Services.AddTypedTasks(Tasks.Registry, builder.Configuration.GetSection("TypedTasks"));
        using var host = builder.Build();
        await host.StartAsync();
        var client = host.Services.GetRequiredService<ITaskClient>();
        var broker = (InMemoryBroker)host.Services.GetRequiredService<ITaskBroker>();

        var gated = new List<TaskHandle>();
        for (var i = 0; i < 10; i++)
        {
            gated.Add(await Tasks.HostingActors.Gated.SendAsync(client, i));
        }

        var beta = await Tasks.HostingActors.Beta.SendAsync(client, 7);
        await WaitUntilAsync(() => HostingActors.Running == 3);
        // Give a worker that ignored the limit every chance to start more before the gate opens.
        await Task.Delay(200);
        HostingActors.Gate.TrySetResult();
        foreach (var handle in gated)
        {
            await handle.WaitAsync(TestHosts.Timeout);
        }

        Assert.Equal(3, HostingActors.MaxRunning);
        Assert.Equal(new[] { "alpha" }, WorkerOf(host)!.Queues);
        Assert.Equal(1, broker.GetQueueLength("beta"));
        Assert.Null(await client.Results.GetAsync(beta.Id));
        // The host waits at least as long as the worker's configured grace period (plus margin).
        Assert.True(host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<HostOptions>>().Value.ShutdownTimeout >= TimeSpan.FromSeconds(7));
        await host.StopAsync();
    }

    [Fact]
    public async Task Without_worker_the_host_sends_but_consumes_nothing()
    {
        var builder = TestHosts.CreateBuilder();
        builder.Services.AddTypedTasks(Tasks.Registry).WithoutWorker();
        using var host = builder.Build();
        await host.StartAsync();
        var client = host.Services.GetRequiredService<ITaskClient>();

        var handle = await Tasks.HostingActors.Add.SendAsync(client, 1, 2);
        await Task.Delay(300);

        Assert.Null(WorkerOf(host));
        Assert.Equal(1, ((InMemoryBroker)host.Services.GetRequiredService<ITaskBroker>()).GetQueueLength(Tasks.HostingActors.Add.Queue));
        Assert.Null(await client.Results.GetAsync(handle.Id));
        await host.StopAsync();
    }

    [Fact]
    public async Task Static_stubs_send_through_the_host_without_extra_wiring()
    {
        var builder = TestHosts.CreateBuilder();
        builder.Services.AddTypedTasks(Tasks.Registry);
        using var host = builder.Build();
        await host.StartAsync();

        var handle = await Tasks.HostingActors.Add.SendAsync(20, 22);

        Assert.Same(host.Services.GetRequiredService<ITaskClient>(), TaskClient.Default);
        Assert.Equal(42, await handle.GetResultAsync(TestHosts.Timeout));
        await host.StopAsync();
    }

    [Fact]
    public async Task Graceful_stop_hands_unstarted_work_back_for_the_next_worker()
    {
        // One broker shared by two hosts in turn, as a Redis server would be by two deployments.
        await using var broker = new InMemoryBroker();
        var settings = new Dictionary<string, string?>
        {
            ["TypedTasks:Worker:Queues:0"] = "slow",
            ["TypedTasks:Worker:Concurrency"] = "1",
            ["TypedTasks:Worker:Prefetch"] = "4",
        };

        var handles = new List<TaskHandle>();
        using (var first = BuildHost(settings, broker))
        {
            await first.StartAsync();
            var client = first.Services.GetRequiredService<ITaskClient>();
            for (var i = 0; i < 5; i++)
            {
                handles.Add(await Tasks.HostingActors.Slow.SendAsync(client, i));
            }

            await HostingActors.SlowStarted.Task.WaitAsync(TestHosts.Timeout);
            // Concurrency 1 + prefetch 4: one running, the other four fetched and waiting in this worker.
            await WaitUntilAsync(() => broker.GetQueueLength("slow") == 0);
            var stopping = first.StopAsync();
            // The running actor may finish within the grace period; everything fetched but not started goes back.
            await WaitUntilAsync(() => broker.GetQueueLength("slow") == 4);
            HostingActors.Gate.TrySetResult();
            await stopping;
        }

        Assert.Single(HostingActors.SlowRuns);
        using (var second = BuildHost(settings, broker))
        {
            await second.StartAsync();
            foreach (var handle in handles)
            {
                await handle.WaitAsync(TestHosts.Timeout);
            }

            await second.StopAsync();
        }

        Assert.Equal(new[] { 0, 1, 2, 3, 4 }, HostingActors.SlowRuns.Order());
    }

    private static IHost BuildHost(Dictionary<string, string?> settings, InMemoryBroker broker)
    {
        var builder = TestHosts.CreateBuilder(settings);
        // A broker registered by the application wins over the one AddTypedTasks would create.
        builder.Services.AddSingleton<ITaskBroker>(broker);
        builder.Services.AddTypedTasks(Tasks.Registry, builder.Configuration.GetSection("TypedTasks"));
        return builder.Build();
    }

    internal static TaskWorker? WorkerOf(IHost host) =>
        host.Services.GetServices<IHostedService>().OfType<TypedTasksWorkerService>().Single().Worker;

    internal static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TestHosts.Timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The condition did not become true in time.");
            }

            await Task.Delay(10);
        }
    }
}
