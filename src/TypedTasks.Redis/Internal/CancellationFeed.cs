using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using TypedTasks.Brokers;

namespace TypedTasks.Redis.Internal;

/// <summary>
/// Keeps one process's <see cref="TaskCancellations"/> in step with Redis for all consumers of a broker: it subscribes
/// to the cancel channel first and then reads the cancelled set, so a cancellation is either announced to it or already
/// in the set; after every reconnect it reads the set again, so what was announced while it was cut off is not lost.
/// Nothing here runs per delivery: a worker checks the in-process set.
/// </summary>
internal sealed class CancellationFeed : IDisposable
{
    private readonly IConnectionMultiplexer _connection;
    private readonly IDatabase _db;
    private readonly Keyspace _keys;
    private readonly RedisBrokerOptions _options;
    private readonly Action<RedisChannel, RedisValue> _onAnnounced;
    private readonly EventHandler<ConnectionFailedEventArgs> _onRestored;
    private readonly Lock _gate = new();
    private Task? _started;

    public CancellationFeed(IConnectionMultiplexer connection, IDatabase db, Keyspace keys, RedisBrokerOptions options)
    {
        _connection = connection;
        _db = db;
        _keys = keys;
        _options = options;
        Set = new TaskCancellations(options.TimeProvider);
        _onAnnounced = OnAnnounced;
        _onRestored = OnRestored;
    }

    public TaskCancellations Set { get; }

    /// <summary>Subscribes and loads the set once per broker (again after a failed attempt).</summary>
    public Task EnsureStartedAsync()
    {
        lock (_gate)
        {
            if (_started is null || _started.IsFaulted || _started.IsCanceled)
            {
                _started = StartAsync();
            }

            return _started;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_started is null)
            {
                return;
            }
        }

        _connection.ConnectionRestored -= _onRestored;
        try
        {
            _connection.GetSubscriber().Unsubscribe(_keys.CancelChannel, _onAnnounced, CommandFlags.FireAndForget);
        }
        catch (Exception ex) when (RedisFailures.IsTransient(ex) || ex is RedisException or ObjectDisposedException)
        {
            // The connection is going away with the subscription.
        }
    }

    private async Task StartAsync()
    {
        await _connection.GetSubscriber().SubscribeAsync(_keys.CancelChannel, _onAnnounced).ConfigureAwait(false);
        _connection.ConnectionRestored -= _onRestored;
        _connection.ConnectionRestored += _onRestored;
        await ReloadAsync().ConfigureAwait(false);
    }

    private void OnAnnounced(RedisChannel channel, RedisValue taskId)
    {
        if (!taskId.IsNullOrEmpty)
        {
            Set.Add(taskId!, _options.TimeProvider.GetUtcNow() + _options.CancellationRetention);
        }
    }

    private async Task ReloadAsync()
    {
        var now = _options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        var entries = await _db.SortedSetRangeByScoreWithScoresAsync(_keys.Cancelled, now, double.PositiveInfinity).ConfigureAwait(false);
        foreach (var entry in entries)
        {
            Set.Add(entry.Element!, DateTimeOffset.FromUnixTimeMilliseconds((long)entry.Score));
        }
    }

    private void OnRestored(object? sender, ConnectionFailedEventArgs e) => _ = ReloadAfterReconnectAsync();

    private async Task ReloadAfterReconnectAsync()
    {
        try
        {
            await ReloadAsync().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            // The next reconnect (or consumer start) reads again; a worker that misses a cancellation runs the task.
            _options.Logger.LogWarning("Re-reading the cancelled tasks after a reconnect failed ({Error}).", ex.Message);
        }
    }
}
