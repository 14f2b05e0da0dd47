using System;
using System.Threading.Tasks;
using StackExchange.Redis;
using TypedTasks.Redis;

namespace TypedTasks.Testing;

/// <summary>
/// A Redis deployment the broker tests run against (a single server or a Cluster): shared by a collection fixture, or
/// owned by one test (<c>StartOwnAsync</c>) when the test restarts its servers.
/// </summary>
public abstract class RedisTarget : IAsyncLifetime, IAsyncDisposable
{
    private ConnectionMultiplexer? _connection;
    private bool _disposed;

    public abstract string ConnectionString { get; }

    public ConnectionMultiplexer Connection => _connection ?? throw new InvalidOperationException("Not started.");

    public IDatabase Db => Connection.GetDatabase();

    public async Task InitializeAsync()
    {
        await StartServersAsync();
        _connection = await ConnectionMultiplexer.ConnectAsync(ConnectionString);
    }

    public async Task DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        await StopServersAsync();
    }

    /// <summary>A broker on the shared connection with test timings and a prefix of its own, so tests never see each other's keys.</summary>
    public RedisBroker CreateBroker(Func<RedisBrokerOptions, RedisBrokerOptions>? configure = null)
    {
        var options = new RedisBrokerOptions
        {
            KeyPrefix = "t" + Guid.NewGuid().ToString("N")[..10],
            ClaimIdleThreshold = TimeSpan.FromMilliseconds(1500),
            HeartbeatInterval = TimeSpan.FromMilliseconds(300),
            PollInterval = TimeSpan.FromMilliseconds(250),
        };
        return new RedisBroker(Connection, configure is null ? options : configure(options));
    }

    ValueTask IAsyncDisposable.DisposeAsync() => new(DisposeAsync());

    /// <summary>
    /// Stops the server holding <paramref name="key"/> (on a Cluster, the master owning its slot) with SHUTDOWN, which
    /// fsyncs the append-only file when enabled, and starts it again on the same port and data; returns once it serves
    /// again. Only for a target the test owns: the others share the fixture's.
    /// </summary>
    public abstract Task RestartServerHoldingAsync(RedisKey key, TimeSpan downtime);

    protected abstract Task StartServersAsync();

    protected abstract Task StopServersAsync();

    /// <summary>Starts a target a test owns; stops whatever did start if starting fails.</summary>
    protected static async Task<T> InitializeOwnedAsync<T>(T target)
        where T : RedisTarget
    {
        try
        {
            await target.InitializeAsync();
            return target;
        }
        catch
        {
            await target.DisposeAsync();
            throw;
        }
    }
}

/// <summary>One redis-server, without persistence unless the owning test asks for it.</summary>
public sealed class StandaloneRedis : RedisTarget
{
    private readonly string[] _serverArguments;
    private readonly int? _port;
    private RedisServerProcess? _server;

    public StandaloneRedis()
        : this([], port: null)
    {
    }

    private StandaloneRedis(string[] serverArguments, int? port)
    {
        _serverArguments = serverArguments;
        _port = port;
    }

    public override string ConnectionString => _server!.EndPoint;

    /// <summary>A server of the test's own; <paramref name="serverArguments"/> override the defaults (e.g. "--appendonly", "yes").</summary>
    public static Task<StandaloneRedis> StartOwnAsync(params string[] serverArguments) => InitializeOwnedAsync(new StandaloneRedis(serverArguments, port: null));

    /// <summary>A server of the test's own on <paramref name="port"/> (see <see cref="RedisServerProcess.StartOnPortAsync"/>).</summary>
    public static Task<StandaloneRedis> StartOnPortAsync(int port) => InitializeOwnedAsync(new StandaloneRedis([], port));

    public override Task RestartServerHoldingAsync(RedisKey key, TimeSpan downtime) => _server!.RestartAsync(downtime);

    protected override async Task StartServersAsync() => _server = _port is { } port
        ? await RedisServerProcess.StartOnPortAsync(port, _serverArguments)
        : await RedisServerProcess.StartAsync(_serverArguments);

    protected override async Task StopServersAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
