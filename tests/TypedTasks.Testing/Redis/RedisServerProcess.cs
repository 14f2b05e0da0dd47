using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace TypedTasks.Testing;

/// <summary>A <c>redis-server</c> this test run started on a free loopback port, in its own temporary directory.</summary>
public sealed class RedisServerProcess : IAsyncDisposable
{
    private readonly string[] _arguments;
    private Process? _process;

    private RedisServerProcess(int port, string directory, string[] arguments)
    {
        Port = port;
        Directory = directory;
        _arguments = arguments;
    }

    public int Port { get; }

    public string Directory { get; }

    public string EndPoint => "127.0.0.1:" + Port;

    /// <summary>Starts a server. Extra arguments come last, so they override the defaults (no persistence).</summary>
    public static async Task<RedisServerProcess> StartAsync(params string[] extraArguments)
    {
        // Test assemblies run in parallel processes, each picking "free" ports on its own: a port can be taken between
        // the check and redis-server's bind. A server that exits at start is retried on another port.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnFreePortAsync(extraArguments).ConfigureAwait(false);
            }
            catch (InvalidOperationException) when (attempt < 3)
            {
            }
        }
    }

    /// <summary>Starts a server on <paramref name="port"/>: a test that first pointed a host at the closed port makes
    /// Redis "arrive" where the host is already trying to connect.</summary>
    public static async Task<RedisServerProcess> StartOnPortAsync(int port, params string[] extraArguments)
    {
        var directory = Path.Combine(Path.GetTempPath(), "tt-redis-" + port + "-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(directory);
        var arguments = new List<string>
        {
            "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--bind", "127.0.0.1",
            "--dir", directory,
            "--save", string.Empty,
            "--appendonly", "no",
            "--daemonize", "no",
            "--protected-mode", "no",
            "--loglevel", "warning",
        };
        arguments.AddRange(extraArguments);
        var server = new RedisServerProcess(port, directory, [.. arguments]);
        try
        {
            await server.StartProcessAsync().ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static Task<RedisServerProcess> StartOnFreePortAsync(string[] extraArguments) =>
        StartOnPortAsync(FreePort.Next(needsClusterBusPort: Array.IndexOf(extraArguments, "--cluster-enabled") >= 0), extraArguments);

    /// <summary>Stops with SHUTDOWN (which fsyncs the append-only file when enabled) and starts again on the same port and data.</summary>
    public async Task RestartAsync(TimeSpan downtime)
    {
        await ShutdownAsync().ConfigureAwait(false);
        await Task.Delay(downtime).ConfigureAwait(false);
        await StartProcessAsync().ConfigureAwait(false);
    }

    public async Task ShutdownAsync()
    {
        if (_process is null || _process.HasExited)
        {
            return;
        }

        try
        {
            await RawCommand.SendAsync(Port, "SHUTDOWN", TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or TimeoutException)
        {
            // The server closes the socket as it exits; a slow one is waited for below.
        }

        // Generous: SHUTDOWN fsyncs the append-only file, which a busy test machine can make slow.
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }

        _process?.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task StartProcessAsync()
    {
        var info = new ProcessStartInfo(RedisBinaries.Server)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Directory,
        };
        foreach (var argument in _arguments)
        {
            info.ArgumentList.Add(argument);
        }

        _process?.Dispose();
        var output = new StringBuilder();
        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        _process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"redis-server on port {Port} exited at start:\n{output}");
            }

            try
            {
                var reply = await RawCommand.SendAsync(Port, "PING", TimeSpan.FromSeconds(1)).ConfigureAwait(false);
                if (reply.StartsWith("+PONG", StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is SocketException or IOException or TimeoutException)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"redis-server on port {Port} did not answer PING:\n{output}");
            }

            await Task.Delay(20).ConfigureAwait(false);
        }
    }
}

/// <summary>Locates the Redis binaries. Tests that need Redis never skip: without it they fail and say why.</summary>
public static class RedisBinaries
{
    public static string Server => Find("redis-server");

    public static string Cli => Find("redis-cli");

    private static string Find(string name)
    {
        foreach (var directory in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            $"'{name}' was not found on PATH. The tests that use Redis need a real Redis 7: install it (apt-get install redis-server); they never skip.");
    }
}

/// <summary>Ports nobody listens on (and, for Cluster, whose bus port +10000 is free too).</summary>
public static class FreePort
{
    private static int s_next = 20000 + Random.Shared.Next(0, 15000);

    public static int Next(bool needsClusterBusPort = false)
    {
        while (true)
        {
            var port = Interlocked.Increment(ref s_next);
            if (port > 55000)
            {
                Interlocked.Exchange(ref s_next, 20000);
                continue;
            }

            if (IsFree(port) && (!needsClusterBusPort || IsFree(port + 10000)))
            {
                return port;
            }
        }
    }

    private static bool IsFree(int port)
    {
        try
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}

/// <summary>One inline command over a raw socket: enough for readiness probes without a client library.</summary>
public static class RawCommand
{
    /// <exception cref="TimeoutException">No reply within <paramref name="timeout"/>.</exception>
    public static async Task<string> SendAsync(int port, string command, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, cts.Token).ConfigureAwait(false);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes(command + "\r\n"), cts.Token).ConfigureAwait(false);
            var buffer = new byte[16 * 1024];
            var read = await stream.ReadAsync(buffer, cts.Token).ConfigureAwait(false);
            return Encoding.UTF8.GetString(buffer, 0, read);
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            throw new TimeoutException($"redis-server on port {port} did not answer {command.Split(' ')[0]} within {timeout}.");
        }
    }
}
