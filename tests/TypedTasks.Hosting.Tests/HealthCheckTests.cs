using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Time.Testing;
using TypedTasks.Brokers;
using TypedTasks.Hosting.Tests.Infrastructure;
using TypedTasks.Monitoring;

namespace TypedTasks.Hosting.Tests;

/// <summary><c>AddHealthChecks().AddTypedTasks()</c>: "broker reachable" and "worker loop alive", through the host's
/// own <see cref="HealthCheckService"/>.</summary>
public sealed class HealthCheckTests
{
    [Fact]
    public async Task An_in_memory_host_reports_both_checks_healthy_once_its_worker_runs_and_unhealthy_after_it_stopped()
    {
        var builder = TestHosts.CreateBuilder();
        builder.Services.AddTypedTasks(Tasks.Registry).UseInMemoryBroker();
        builder.Services.AddHealthChecks().AddTypedTasks();
        using var host = builder.Build();
        var health = host.Services.GetRequiredService<HealthCheckService>();

        var beforeStart = await health.CheckHealthAsync();
        Assert.Equal(HealthStatus.Degraded, beforeStart.Entries["typedtasks-worker"].Status);

        await host.StartAsync();
        await Eventually.UntilAsync(async () => (await health.CheckHealthAsync()).Status == HealthStatus.Healthy, "both checks are healthy");
        var report = await health.CheckHealthAsync();
        Assert.Equal(["ready", "typedtasks"], Sorted(report.Entries["typedtasks-broker"].Tags));
        Assert.Equal(["live", "typedtasks"], Sorted(report.Entries["typedtasks-worker"].Tags));
        Assert.Equal(0, report.Entries["typedtasks-worker"].Data["running"]);

        await host.StopAsync();
        var stopped = await health.CheckHealthAsync();
        Assert.Equal(HealthStatus.Unhealthy, stopped.Entries["typedtasks-worker"].Status);
        Assert.Contains("stopped", stopped.Entries["typedtasks-worker"].Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_host_without_a_worker_is_healthy_on_the_worker_check()
    {
        var builder = TestHosts.CreateBuilder();
        builder.Services.AddTypedTasks(Tasks.Registry).UseInMemoryBroker().WithoutWorker();
        builder.Services.AddHealthChecks().AddTypedTasks(o => o.WorkerCheckName = "jobs");
        using var host = builder.Build();
        await host.StartAsync();

        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.Equal(HealthStatus.Healthy, report.Entries["jobs"].Status);
        Assert.Contains("no TypedTasks worker", report.Entries["jobs"].Description, StringComparison.Ordinal);
        await host.StopAsync();
    }

    [Fact]
    public async Task A_worker_whose_consumer_stopped_reading_turns_unhealthy_past_the_threshold()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var broker = new StalledBroker(time);
        var builder = TestHosts.CreateBuilder();
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddTypedTasks(Tasks.Registry).UseBroker("Stalled", _ => broker);
        builder.Services.AddHealthChecks().AddTypedTasks(o => o.WorkerStallThreshold = TimeSpan.FromSeconds(30));
        using var host = builder.Build();
        var health = host.Services.GetRequiredService<HealthCheckService>();
        await host.StartAsync();
        await broker.Receiving.Task.WaitAsync(TestHosts.Timeout);

        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync()).Entries["typedtasks-worker"].Status);

        time.Advance(TimeSpan.FromSeconds(31));
        var stalled = (await health.CheckHealthAsync()).Entries["typedtasks-worker"];
        Assert.Equal(HealthStatus.Unhealthy, stalled.Status);
        Assert.Contains("no progress for 31.0 s", stalled.Description, StringComparison.Ordinal);

        // A read that completes again brings it back.
        broker.ReadNow();
        Assert.Equal(HealthStatus.Healthy, (await health.CheckHealthAsync()).Entries["typedtasks-worker"].Status);
        await host.StopAsync();
    }

    [Fact]
    public async Task A_broker_that_does_not_answer_its_ping_is_unhealthy()
    {
        var builder = TestHosts.CreateBuilder();
        builder.Services.AddTypedTasks(Tasks.Registry).UseBroker("Stalled", _ => new StalledBroker(TimeProvider.System, pingFails: true)).WithoutWorker();
        builder.Services.AddHealthChecks().AddTypedTasks(o => o.FailureStatus = HealthStatus.Degraded);
        using var host = builder.Build();

        var entry = (await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync()).Entries["typedtasks-broker"];

        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Contains("is not reachable: no route", entry.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Redis_host_turns_unhealthy_while_redis_server_is_down_and_healthy_after_it_restarts()
    {
        await using var redis = await StandaloneRedis.StartOwnAsync();
        var builder = TestHosts.CreateBuilder(new Dictionary<string, string?>
        {
            ["TypedTasks:Redis:Configuration"] = redis.ConnectionString,
            ["TypedTasks:Redis:KeyPrefix"] = "health",
            ["TypedTasks:Redis:PollInterval"] = "00:00:00.250",
            ["TypedTasks:Redis:HeartbeatInterval"] = "00:00:00.500",
            ["TypedTasks:Redis:ClaimIdleThreshold"] = "00:00:02",
        });
        builder.Services.AddTypedTasks(Tasks.Registry, builder.Configuration.GetSection("TypedTasks")).UseRedis();
        builder.Services.AddHealthChecks().AddTypedTasks(o =>
        {
            o.WorkerStallThreshold = TimeSpan.FromSeconds(2);
            o.BrokerTimeout = TimeSpan.FromSeconds(1);
        });
        using var host = builder.Build();
        var health = host.Services.GetRequiredService<HealthCheckService>();
        await host.StartAsync();
        await Eventually.UntilAsync(async () => (await health.CheckHealthAsync()).Status == HealthStatus.Healthy, "both checks are healthy");

        // Down long enough for both checks to see it; the restart runs on while this test watches.
        var restart = redis.RestartServerHoldingAsync("any", TimeSpan.FromSeconds(10));
        await Eventually.UntilAsync(
            async () =>
            {
                var report = await health.CheckHealthAsync();
                return report.Entries["typedtasks-broker"].Status == HealthStatus.Unhealthy
                    && report.Entries["typedtasks-worker"].Status == HealthStatus.Unhealthy;
            },
            "both checks report redis-server down",
            TimeSpan.FromSeconds(9));
        await restart;

        await Eventually.UntilAsync(async () => (await health.CheckHealthAsync()).Status == HealthStatus.Healthy, "both checks are healthy again");
        Assert.Equal(3, await (await Tasks.HostingActors.Add.SendAsync(host.Services.GetRequiredService<ITaskClient>(), 1, 2)).GetResultAsync(TestHosts.Timeout));
        await host.StopAsync();
    }

    private static string[] Sorted(IEnumerable<string> tags)
    {
        var sorted = new List<string>(tags);
        sorted.Sort(StringComparer.Ordinal);
        return [.. sorted];
    }

    /// <summary>An in-memory broker whose consumers never deliver; each reports the last read it was told about
    /// (<see cref="ReadNow"/>), as a Redis consumer that lost its server stops reporting reads.</summary>
    private sealed class StalledBroker(TimeProvider time, bool pingFails = false) : ITaskBroker, ITaskMonitor
    {
        private readonly InMemoryBroker _inner = new(time);
        private long _lastReadTicks = time.GetUtcNow().UtcTicks;

        public TaskCompletionSource Receiving { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ITaskResultStore Results => _inner.Results;

        public IDeadLetterStore DeadLetters => _inner.DeadLetters;

        public ITaskStatusStore Status => _inner.Status;

        public ITaskMonitor Monitor => this;

        public void ReadNow() => Interlocked.Exchange(ref _lastReadTicks, time.GetUtcNow().UtcTicks);

        public ValueTask<string?> SendAsync(TaskMessage message, CancellationToken cancellationToken = default) => _inner.SendAsync(message, cancellationToken);

        public ValueTask<IReadOnlyList<string?>?> SendManyAsync(IReadOnlyList<TaskMessage> messages, CancellationToken cancellationToken = default) => _inner.SendManyAsync(messages, cancellationToken);

        public ValueTask<ITaskConsumer> CreateConsumerAsync(ConsumerOptions options, CancellationToken cancellationToken = default)
            => ValueTask.FromResult<ITaskConsumer>(new StalledConsumer(this));

        public ValueTask DisposeAsync() => _inner.DisposeAsync();

        public ValueTask<TimeSpan> PingAsync(CancellationToken cancellationToken = default)
            => pingFails ? throw new InvalidOperationException("no route") : ValueTask.FromResult(TimeSpan.Zero);

        public ValueTask<IReadOnlyList<string>> GetQueueNamesAsync(CancellationToken cancellationToken = default) => _inner.Monitor.GetQueueNamesAsync(cancellationToken);

        public ValueTask<QueueInfo?> GetQueueAsync(string queue, CancellationToken cancellationToken = default) => _inner.Monitor.GetQueueAsync(queue, cancellationToken);

        public ValueTask<IReadOnlyList<QueueInfo>> GetQueuesAsync(CancellationToken cancellationToken = default) => _inner.Monitor.GetQueuesAsync(cancellationToken);

        public ValueTask<IReadOnlyList<WorkerInfo>> GetWorkersAsync(CancellationToken cancellationToken = default) => _inner.Monitor.GetWorkersAsync(cancellationToken);

        public ValueTask<QueuePurgeResult> PurgeQueueAsync(string queue, CancellationToken cancellationToken = default) => _inner.Monitor.PurgeQueueAsync(queue, cancellationToken);

        private sealed class StalledConsumer(StalledBroker broker) : ITaskConsumer
        {
            public DateTimeOffset? LastReadAt => new DateTimeOffset(Interlocked.Read(ref broker._lastReadTicks), TimeSpan.Zero);

            public async ValueTask<int> ReceiveAsync(Memory<TaskDelivery> buffer, CancellationToken cancellationToken)
            {
                broker.Receiving.TrySetResult();
                await Task.Delay(Timeout.Infinite, cancellationToken);
                return 0;
            }

            public ValueTask AckAsync(TaskDelivery delivery, CancellationToken cancellationToken = default) => throw new NotSupportedException();

            public ValueTask RetryAsync(TaskDelivery delivery, TaskMessage nextAttempt, CancellationToken cancellationToken = default) => throw new NotSupportedException();

            public ValueTask DeadLetterAsync(TaskDelivery delivery, TaskError error, CancellationToken cancellationToken = default) => throw new NotSupportedException();

            public ValueTask ReleaseAsync(TaskDelivery delivery, CancellationToken cancellationToken = default) => throw new NotSupportedException();

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
