using System;
using System.Threading.Tasks;
using StackExchange.Redis;

namespace TypedTasks.Redis.Tests.Infrastructure;

/// <summary>A Redis deployment the broker tests run against (a single server or a Cluster), started by the fixture.</summary>
public abstract class RedisTarget : IAsyncLifetime
{
    private ConnectionMultiplexer? _connection;

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

    protected abstract Task StartServersAsync();

    protected abstract Task StopServersAsync();
}

/// <summary>One redis-server without persistence.</summary>
public sealed class StandaloneRedis : RedisTarget
{
    private RedisServerProcess? _server;

    public override string ConnectionString => _server!.EndPoint;

    public RedisServerProcess Server => _server!;

    protected override async Task StartServersAsync() => _server = await RedisServerProcess.StartAsync();

    protected override async Task StopServersAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class StandaloneCollection : ICollectionFixture<StandaloneRedis>
{
    public const string Name = "standalone redis";
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterRedis>
{
    public const string Name = "redis cluster";
}
