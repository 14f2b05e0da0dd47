using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;

namespace TypedTasks.Hosting.Tests.Infrastructure;

/// <summary>
/// Runs tests/TypedTasks.Hosting.TestHost (a worker host written as the README says) as a child process, so a test sees
/// what a supervisor sees: its output and its exit code.
/// </summary>
public sealed class TestHostProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private TestHostProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Everything the process wrote so far, stdout and stderr interleaved.</summary>
    public string Output => string.Join(Environment.NewLine, _output);

    public int Id => _process.Id;

    public static TestHostProcess Start(params string[] arguments)
    {
        // tests/TypedTasks.Hosting.Tests/bin/<Configuration>/<tfm>/ -> tests/TypedTasks.Hosting.TestHost/bin/<Configuration>/<tfm>/
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var tfm = here.Name;
        var configuration = here.Parent!.Name;
        var testsRoot = here.Parent.Parent!.Parent!.Parent!.FullName;
        var dll = Path.Combine(testsRoot, "TypedTasks.Hosting.TestHost", "bin", configuration, tfm, "TypedTasks.Hosting.TestHost.dll");
        Assert.True(File.Exists(dll), "the test host was not built: " + dll);

        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // Only what the test passes: a developer's TypedTasks__Redis or DOTNET_ENVIRONMENT must not leak in.
        foreach (var name in info.Environment.Keys.Where(static k =>
            k.StartsWith("TypedTasks__", StringComparison.OrdinalIgnoreCase)
            || k.Equals("DOTNET_ENVIRONMENT", StringComparison.OrdinalIgnoreCase)
            || k.Equals("ASPNETCORE_ENVIRONMENT", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            info.Environment.Remove(name);
        }

        return new TestHostProcess(Process.Start(info)!);
    }

    /// <summary>Waits for the process to exit and returns its exit code; kills it and fails when it outlives <paramref name="timeout"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            Assert.Fail($"The test host was still running after {timeout}. Output:{Environment.NewLine}{Output}");
        }

        // WaitForExitAsync returns once the redirected streams are drained too.
        return _process.ExitCode;
    }

    /// <summary>Waits until the output contains <paramref name="text"/>; fails if the process exits first or the time is up.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                Assert.Fail($"The test host never wrote '{text}'. Output:{Environment.NewLine}{Output}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Sends SIGTERM, as <c>docker stop</c> or systemd would.</summary>
    public async Task TerminateAsync()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, UseShellExecute = false })!;
        await kill.WaitForExitAsync();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
        }
    }
}
