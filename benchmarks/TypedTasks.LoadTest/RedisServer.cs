using System;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using StackExchange.Redis;

namespace TypedTasks.LoadTest;

/// <summary>A throw-away <c>redis-server</c> on a free loopback port, without persistence, for when no --redis is given.</summary>
internal sealed class RedisServer : IAsyncDisposable
{
    private readonly Process _process;

    private RedisServer(Process process, string endpoint)
    {
        _process = process;
        Endpoint = endpoint;
    }

    public string Endpoint { get; }

    public static async Task<RedisServer> StartAsync()
    {
        var port = FreeLoopbackPort();
        var start = new ProcessStartInfo("redis-server")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
        };
        foreach (var argument in new[] { "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--loglevel", "warning" })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        var endpoint = $"127.0.0.1:{port}";
        for (var attempt = 0; attempt < 100; attempt++)
        {
            try
            {
                await using var probe = await ConnectionMultiplexer.ConnectAsync(endpoint + ",connectTimeout=200");
                await probe.GetDatabase().PingAsync();
                return new RedisServer(process, endpoint);
            }
            catch (RedisConnectionException)
            {
                await Task.Delay(50);
            }
        }

        process.Kill();
        throw new InvalidOperationException($"redis-server did not answer on {endpoint}.");
    }

    public async ValueTask DisposeAsync()
    {
        _process.Kill();
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await _process.WaitForExitAsync(grace.Token);
        _process.Dispose();
    }

    private static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
