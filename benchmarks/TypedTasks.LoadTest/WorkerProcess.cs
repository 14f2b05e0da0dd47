using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace TypedTasks.LoadTest;

/// <summary>The worker process (JIT or NativeAOT build of TypedTasks.LoadTest.Worker), seen from the orchestrator.</summary>
internal sealed partial class WorkerProcess : IAsyncDisposable
{
    private static readonly TimeSpan s_stopGrace = TimeSpan.FromSeconds(20);

    private readonly Process _process;
    private readonly TimeSpan _timeout;

    private WorkerProcess(Process process, long launchedNs, TimeSpan timeout)
    {
        _process = process;
        LaunchedNs = launchedNs;
        _timeout = timeout;
    }

    /// <summary>CLOCK_MONOTONIC ns taken just before the process was spawned.</summary>
    public long LaunchedNs { get; }

    /// <summary>What is launched: <c>dotnet worker.dll</c> for the JIT flavour, the native binary for AOT.</summary>
    public static string Describe(string flavour) =>
        flavour == "aot" ? "the NativeAOT binary" : "'dotnet TypedTasks.LoadTest.Worker.dll'";

    public static WorkerProcess Launch(string flavour, string path, string redis, string mode, int expected, int concurrency, TimeSpan timeout)
    {
        var start = new ProcessStartInfo
        {
            FileName = flavour == "aot" ? path : "dotnet",
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        if (flavour != "aot")
        {
            start.ArgumentList.Add(path);
        }

        foreach (var argument in new[]
        {
            "--redis", redis, "--mode", mode, "--n", expected.ToString(CultureInfo.InvariantCulture),
            "--concurrency", concurrency.ToString(CultureInfo.InvariantCulture),
        })
        {
            start.ArgumentList.Add(argument);
        }

        var launchedNs = Monotonic.NowNs();
        var process = Process.Start(start) ?? throw new InvalidOperationException("The worker did not start.");
        return new WorkerProcess(process, launchedNs, timeout);
    }

    /// <summary>Waits for the worker's next line starting with <paramref name="tag"/> and returns the rest of it.</summary>
    public async Task<string> WaitForAsync(string tag)
    {
        using var cancellation = new CancellationTokenSource(_timeout);
        while (true)
        {
            string? line;
            try
            {
                line = await _process.StandardOutput.ReadLineAsync(cancellation.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"The worker sent no {tag} within {_timeout}.");
            }

            if (line is null)
            {
                throw new InvalidOperationException($"The worker exited before {tag}.");
            }

            if (line.StartsWith(tag + " ", StringComparison.Ordinal))
            {
                return line[(tag.Length + 1)..];
            }

            Console.Error.WriteLine("[typedtasks worker] " + line);
        }
    }

    /// <summary>The worker's peak resident set (VmHWM) in MiB, read while it still runs.</summary>
    public double PeakRssMb()
    {
        var status = File.ReadAllText($"/proc/{_process.Id}/status");
        var match = PeakRss().Match(status);
        return Math.Round(long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) / 1024.0, 1);
    }

    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        using var grace = new CancellationTokenSource(s_stopGrace);
        try
        {
            await _process.WaitForExitAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("[typedtasks] the worker did not stop in time; killing it");
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }

        _process.Dispose();
    }

    [GeneratedRegex(@"^VmHWM:\s+(\d+)\s+kB", RegexOptions.Multiline)]
    private static partial Regex PeakRss();
}
