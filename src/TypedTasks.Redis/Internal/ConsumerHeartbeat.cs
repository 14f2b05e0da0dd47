using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace TypedTasks.Redis.Internal;

/// <summary>
/// A live consumer's heartbeat: every <see cref="RedisBrokerOptions.HeartbeatInterval"/> it registers the consumer and
/// refreshes the idle time of its in-flight deliveries, so crash recovery never takes a running task from a live
/// worker. A timer of its own, independent of reading, so it beats while every worker slot is busy.
/// </summary>
internal sealed class ConsumerHeartbeat(
    RedisScripts scripts, QueueState[] queues, RedisBrokerOptions options, TimeProvider time, RedisValue group, RedisValue consumer, OutageLog outage,
    WorkerPresence presence)
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;

    /// <summary>Beats once and then every interval until <see cref="StopAsync"/>.</summary>
    public async Task StartAsync()
    {
        // Registered before the first read, so the reaper never sees this consumer in the group but not in the registry.
        await BeatAsync().ConfigureAwait(false);
        _loop = RunAsync();
    }

    public async Task StopAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task RunAsync()
    {
        using var timer = new PeriodicTimer(options.HeartbeatInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false))
            {
                try
                {
                    await BeatAsync().ConfigureAwait(false);
                    outage.Succeeded();
                }
                catch (Exception ex) when (RedisFailures.IsTransient(ex, _stopping.Token))
                {
                    outage.Failed(ex, "heartbeat", options.HeartbeatInterval);
                }
                catch (Exception ex) when (ex is RedisException or TimeoutException)
                {
                    options.Logger.LogWarning(ex, "Heartbeat of consumer {Consumer} failed.", (string?)consumer);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }

    private Task BeatAsync()
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var beats = new Task[queues.Length + 1];
        for (var i = 0; i < queues.Length; i++)
        {
            beats[i] = scripts.HeartbeatAsync(queues[i].Keys, group, consumer, now, queues[i].InFlight.Keys);
        }

        beats[^1] = presence.BeatAsync(now);

        return Task.WhenAll(beats);
    }
}
