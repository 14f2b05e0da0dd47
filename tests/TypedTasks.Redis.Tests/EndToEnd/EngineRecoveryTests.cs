using System;
using System.Linq;
using System.Threading.Tasks;
using TypedTasks.Redis.Tests.Infrastructure;

namespace TypedTasks.Redis.Tests.EndToEnd;

/// <summary>Crash recovery and claim keeping with real workers. Test timings: claim threshold 1.5 s, heartbeat 0.3 s.</summary>
public abstract class EngineRecoveryTests(RedisTarget redis)
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_task_whose_worker_process_was_killed_mid_run_completes_on_another_worker()
    {
        await using var broker = redis.CreateBroker();
        var client = new TaskClient(broker);
        var probe = Probe.Create();
        await using var survivors = new EngineWorkersSlot();

        using (var process = TestWorkerProcess.Start("worker", redis.ConnectionString, broker.Options.KeyPrefix, "1500", "300"))
        {
            try
            {
                await process.ReadLineStartingWithAsync("READY", Wait);
                var handle = await Tasks.EndToEndActors.Slow.SendAsync(client, probe.Key, 600_000);
                Assert.Equal("STARTED " + probe.Key, await process.ReadLineStartingWithAsync("STARTED ", Wait));

                // A live worker is already waiting when the other one dies, as in production.
                survivors.Workers = await EngineWorkers.StartAsync(broker, 1);
                process.Kill(); // SIGKILL on Unix: no finally blocks, no release, no goodbye.
                await process.WaitForExitAsync();

                Assert.Equal("finished by the survivor", await handle.GetResultAsync(Wait));
                var attempt = Assert.Single(survivors.Workers.Log.Of(handle.Id));
                Assert.Equal(1, attempt.Number);
                Assert.Equal(2, attempt.DeliveryCount);
                Assert.Equal(1, probe.RunsOf(0));
            }
            finally
            {
                if (!process.HasExited)
                {
                    process.Kill();
                }
            }
        }
    }

    [Fact]
    public async Task A_task_longer_than_the_claim_threshold_runs_once_while_its_worker_lives()
    {
        // Eight heartbeats per threshold, so a stalled test machine does not pass for a dead worker.
        await using var broker = redis.CreateBroker(o => new RedisBrokerOptions
        {
            KeyPrefix = o.KeyPrefix, PollInterval = o.PollInterval,
            ClaimIdleThreshold = TimeSpan.FromSeconds(2), HeartbeatInterval = TimeSpan.FromMilliseconds(250),
        });
        var client = new TaskClient(broker);
        var probe = Probe.Create();
        await using var workers = await EngineWorkers.StartAsync(broker, 2);

        // Over two thresholds long, while the other worker scans for abandoned deliveries every heartbeat.
        var handle = await Tasks.EndToEndActors.Hold.SendAsync(client, probe.Key, 0, 4500);

        Assert.Equal(0, await handle.GetResultAsync(Wait));
        Assert.Equal(1, probe.RunsOf(0));
        var attempt = Assert.Single(workers.Log.Of(handle.Id));
        Assert.Equal(1, attempt.DeliveryCount);
    }

    /// <summary>Owns workers created mid-test, so they are stopped however the test ends.</summary>
    private sealed class EngineWorkersSlot : IAsyncDisposable
    {
        public EngineWorkers? Workers { get; set; }

        public ValueTask DisposeAsync() => Workers?.DisposeAsync() ?? ValueTask.CompletedTask;
    }
}

[Collection(StandaloneCollection.Name)]
public sealed class StandaloneEngineRecoveryTests(StandaloneRedis redis) : EngineRecoveryTests(redis);

[Collection(ClusterCollection.Name)]
public sealed class ClusterEngineRecoveryTests(ClusterRedis redis) : EngineRecoveryTests(redis);
