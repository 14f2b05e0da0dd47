using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace TypedTasks.Redis.Tests.Infrastructure;

/// <summary>Starts tests/TypedTasks.Redis.TestWorker as a separate process, so a test can SIGKILL a real worker.</summary>
public static class TestWorkerProcess
{
    public static Process Start(params string[] arguments)
    {
        // tests/TypedTasks.Redis.Tests/bin/<Configuration>/<tfm>/ -> tests/TypedTasks.Redis.TestWorker/bin/<Configuration>/<tfm>/
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var tfm = here.Name;
        var configuration = here.Parent!.Name;
        var testsRoot = here.Parent.Parent!.Parent!.Parent!.FullName;
        var dll = Path.Combine(testsRoot, "TypedTasks.Redis.TestWorker", "bin", configuration, tfm, "TypedTasks.Redis.TestWorker.dll");
        Assert.True(File.Exists(dll), "the test worker was not built: " + dll);

        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return Process.Start(info)!;
    }

    /// <summary>The first stdout line starting with <paramref name="prefix"/>; throws if the process exits or the time is up.</summary>
    public static async Task<string> ReadLineStartingWithAsync(this Process process, string prefix, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            var line = await process.StandardOutput.ReadLineAsync(cts.Token)
                ?? throw new InvalidOperationException("The worker exited: " + await process.StandardError.ReadToEndAsync());
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                return line;
            }
        }
    }
}
