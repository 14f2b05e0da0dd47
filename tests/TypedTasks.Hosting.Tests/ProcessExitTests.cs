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
    public async Task A_worker_whose_start_fails_stops_the_host_with_a_non_zero_exit_code()
    {
        using var process = TestHostProcess.Start("--broken-broker", "--environment", "Development");

        var exitCode = await process.WaitForExitAsync(s_exitTimeout);

        Assert.True(exitCode != 0, "exit code 0 after the worker failed. Output:" + Environment.NewLine + process.Output);
        Assert.Contains("broken on purpose", process.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_a_StartTimeout_a_worker_that_cannot_reach_Redis_exits_non_zero_with_one_clear_line()
    {
        var port = FreePort.Next();
        using var process = TestHostProcess.Start(
            "--environment", "Production",
            "--TypedTasks:Redis=127.0.0.1:" + port + ",connectTimeout=1000,syncTimeout=1000,asyncTimeout=1000",
            "--TypedTasks:Worker:StartTimeout=00:00:03");

        var exitCode = await process.WaitForExitAsync(s_exitTimeout);

        Assert.True(exitCode == 1, $"exit code {exitCode}. Output:{Environment.NewLine}{process.Output}");
        Assert.Contains("TypedTasks:Worker:StartTimeout", process.Output, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1:" + port, process.Output, StringComparison.Ordinal);
        // One clear line, not a stack trace.
        Assert.DoesNotContain("   at ", process.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_explicit_abortConnect_true_with_Redis_down_exits_non_zero_and_says_why()
    {
        var port = FreePort.Next();
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
