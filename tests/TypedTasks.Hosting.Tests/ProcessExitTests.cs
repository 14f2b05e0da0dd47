using System;
using System.Threading.Tasks;
using TypedTasks.Hosting.Tests.Infrastructure;

namespace TypedTasks.Hosting.Tests;

/// <summary>
/// What a supervisor (<c>restart: on-failure</c>, systemd, Kubernetes) sees: a worker host that fails exits non-zero,
/// one that is stopped exits 0. Each test runs tests/TypedTasks.Hosting.TestHost as a child process.
/// </summary>
public sealed class ProcessExitTests
{
    private static readonly TimeSpan s_exitTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task An_explicit_abortConnect_true_with_Redis_down_exits_non_zero_and_says_why()
    {
        var port = RedisServer.FreePort();
        using var process = TestHostProcess.Start(
            "--environment", "Production",
            "--TypedTasks:Redis=127.0.0.1:" + port + ",abortConnect=true,connectTimeout=1000");

        var exitCode = await process.WaitForExitAsync(s_exitTimeout);

        Assert.True(exitCode != 0, "exit code 0 with abortConnect=true and Redis down. Output:" + Environment.NewLine + process.Output);
        Assert.Contains("abortConnect=true", process.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_worker_host_stopped_by_SIGTERM_exits_0()
    {
        using var process = TestHostProcess.Start("--environment", "Development");
        await process.WaitForOutputAsync("Worker started", s_exitTimeout);

        await process.TerminateAsync();
        var exitCode = await process.WaitForExitAsync(s_exitTimeout);

        Assert.True(exitCode == 0, $"exit code {exitCode}. Output:{Environment.NewLine}{process.Output}");
    }
}
