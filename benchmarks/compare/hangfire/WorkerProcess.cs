using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace HangfireCompare;

/// <summary>This tool launched again in worker mode, as its own process, seen from the orchestrator.</summary>
internal sealed partial class WorkerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(20);

    private readonly Process process;
    private readonly TimeSpan timeout;

    private WorkerProcess(Process process, long launchedAt, TimeSpan timeout)
    {
        this.process = process;
        this.LaunchedAt = launchedAt;
        this.timeout = timeout;
    }

    /// <summary>The <see cref="Stopwatch"/> timestamp taken just before the process was started.</summary>
    public long LaunchedAt { get; }

    public static WorkerProcess Launch(CompareSettings args, string mode, int expected)
    {
        var start = new ProcessStartInfo
        {
            FileName = Environment.ProcessPath ?? throw new InvalidOperationException("Unknown process path."),
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };

        // Run through 'dotnet HangfireCompare.dll' as well as through the apphost.
        if (Path.GetFileNameWithoutExtension(start.FileName) == "dotnet")
        {
            start.ArgumentList.Add(typeof(WorkerProcess).Assembly.Location);
        }

        foreach (string argument in new[]
        {
            "worker", "--redis", args.Redis, "--mode", mode, "--n", expected.ToString(CultureInfo.InvariantCulture),
            "--worker-count", args.WorkerCount.ToString(CultureInfo.InvariantCulture),
        })
        {
            start.ArgumentList.Add(argument);
        }

        long launchedAt = Stopwatch.GetTimestamp();
        Process process = Process.Start(start) ?? throw new InvalidOperationException("The worker did not start.");
        return new WorkerProcess(process, launchedAt, args.Timeout);
    }

    /// <summary>Waits for the worker's next line starting with <paramref name="tag"/> and returns the rest of it.</summary>
    public async Task<string> WaitForAsync(string tag)
    {
        using var cancellation = new CancellationTokenSource(this.timeout);
        while (true)
        {
            string? line;
            try
            {
                line = await this.process.StandardOutput.ReadLineAsync(cancellation.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"The worker sent no {tag} within {this.timeout}.");
            }

            if (line is null)
            {
                throw new InvalidOperationException($"The worker exited before {tag}.");
            }

            if (line.StartsWith(tag + " ", StringComparison.Ordinal))
            {
                return line[(tag.Length + 1)..];
            }

            Console.Error.WriteLine("[hangfire worker] " + line);
        }
    }

    /// <summary>The worker's peak resident set (VmHWM) in MiB, read while it is still running.</summary>
    public double PeakRssMb()
    {
        string status = File.ReadAllText($"/proc/{this.process.Id}/status");
        Match match = PeakRss().Match(status);
        return Math.Round(long.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) / 1024.0, 1);
    }

    public async ValueTask DisposeAsync()
    {
        this.process.StandardInput.Close();
        using var grace = new CancellationTokenSource(StopGrace);
        try
        {
            await this.process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("[hangfire] the worker did not stop in time; killing it");
            this.process.Kill(entireProcessTree: true);
            await this.process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        }

        this.process.Dispose();
    }

    [GeneratedRegex(@"^VmHWM:\s+(\d+)\s+kB", RegexOptions.Multiline)]
    private static partial Regex PeakRss();
}
