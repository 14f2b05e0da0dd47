using System;
using System.Threading.Tasks;
using StackExchange.Redis;
using TypedTasks.Monitoring;
using TypedTasks.Redis;

namespace TypedTasks.Cli;

/// <summary>What a command runs with: the connection to the deployment, its output and its confirmation guard.</summary>
internal sealed class CommandContext : IAsyncDisposable
{
    private readonly ConnectionMultiplexer _connection;

    private CommandContext(ConnectionMultiplexer connection, RedisBroker broker, CliOutput output, Confirmation confirmation)
    {
        _connection = connection;
        Broker = broker;
        Output = output;
        Confirmation = confirmation;
    }

    public RedisBroker Broker { get; }

    /// <summary>Everything the commands read and change goes through the broker's monitoring API.</summary>
    public ITaskMonitor Monitor => Broker.Monitor;

    public CliOutput Output { get; }

    public Confirmation Confirmation { get; }

    public static async Task<CommandContext> ConnectAsync(string configuration, string keyPrefix, string consumerGroup, CliOutput output, Confirmation confirmation)
    {
        var connection = await RedisConnector.ConnectAsync(configuration).ConfigureAwait(false);
        try
        {
            var broker = new RedisBroker(connection, new RedisBrokerOptions { KeyPrefix = keyPrefix, ConsumerGroup = consumerGroup });
            return new CommandContext(connection, broker, output, confirmation);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Broker.DisposeAsync().ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
    }
}
