using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading.Tasks;

namespace TypedTasks.Cli.Tests;

[Collection(StandaloneCollection.Name)]
public sealed class CliBasicsTests(StandaloneRedis redis)
{
    [Fact]
    public async Task Help_lists_every_command_and_exits_0()
    {
        var help = await CliProcess.RunAsync("--help");

        Assert.True(help.ExitCode == 0, help.ToString());
        Assert.Contains("typedtasks [command] [options]", help.Out, StringComparison.Ordinal);
        foreach (var command in new[] { "stats", "queues", "workers", "dead-letters", "queue", "top", "--redis", "--prefix" })
        {
            Assert.Contains(command, help.Out, StringComparison.Ordinal);
        }

        var deadLetters = await CliProcess.RunAsync("dead-letters", "--help");
        Assert.All(new[] { "list", "show", "requeue", "purge" }, c => Assert.Contains(c, deadLetters.Out, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Usage_errors_exit_2_with_one_line_on_stderr()
    {
        foreach (var arguments in new[] { Array.Empty<string>(), ["no-such-command"], ["queues", "--no-such-option"], ["dead-letters", "list"] })
        {
            var run = await CliProcess.RunAsync(arguments);
            Assert.True(run.ExitCode == ExitCodes.Usage, run.ToString());
            Assert.Single(run.Error.TrimEnd().Split('\n'));
            Assert.StartsWith("typedtasks: ", run.Error, StringComparison.Ordinal);
            Assert.Equal(string.Empty, run.Out);
        }
    }

    [Fact]
    public async Task Unreachable_redis_exits_3_with_one_line_naming_it()
    {
        var port = ClosedPort();
        foreach (var arguments in new[] { new[] { "stats" }, ["dead-letters", "list", "-q", "math", "--json"], ["queue", "purge", "math", "--yes"] })
        {
            var run = await CliProcess.RunAsync([.. arguments, "--redis", "127.0.0.1:" + port]);
            Assert.True(run.ExitCode == ExitCodes.Unreachable, run.ToString());
            Assert.Equal($"typedtasks: cannot reach Redis at 127.0.0.1:{port} within 3 s (UnableToConnect); set --redis or TYPEDTASKS_REDIS", run.Error.TrimEnd());
            Assert.Equal(string.Empty, run.Out);
        }
    }

    [Fact]
    public async Task Refused_credentials_exit_3_with_one_line_that_says_so()
    {
        // Set after the start: the launcher's readiness check PINGs without credentials.
        await using var server = await RedisServerProcess.StartAsync();
        Assert.StartsWith("+OK", await RawCommand.SendAsync(server.Port, "CONFIG SET requirepass s3cret", TimeSpan.FromSeconds(10)), StringComparison.Ordinal);
        foreach (var configuration in new[] { server.EndPoint, server.EndPoint + ",password=wrong" })
        {
            var run = await CliProcess.RunAsync("queues", "--redis", configuration);
            Assert.True(run.ExitCode == ExitCodes.Unreachable, run.ToString());
            Assert.Equal($"typedtasks: Redis at {server.EndPoint} refused the credentials (AuthenticationFailure); check user= and password= in --redis or TYPEDTASKS_REDIS", run.Error.TrimEnd());
        }

        var right = (await CliProcess.RunAsync("queues", "--json", "--redis", server.EndPoint + ",password=s3cret")).Json();
        Assert.Equal(0, right.GetProperty("queues").GetArrayLength());
    }

    [Fact]
    public async Task The_environment_names_redis_and_the_prefix_and_the_options_win_over_it()
    {
        await using var deployment = new Deployment(redis);
        var queue = TestMessages.Queue();
        await deployment.SendAsync(queue);

        var fromEnvironment = await CliProcess.RunAsync(
            ["queues", "--json"],
            new Dictionary<string, string> { ["TYPEDTASKS_REDIS"] = redis.ConnectionString, ["TYPEDTASKS_PREFIX"] = deployment.Prefix },
            input: null);
        Assert.Equal([queue], fromEnvironment.Json().GetProperty("queues").EnumerateArray().Select(q => q.GetProperty("name").GetString()));

        var overridden = await CliProcess.RunAsync(
            ["queues", "--json", "--redis", redis.ConnectionString, "--prefix", deployment.Prefix],
            new Dictionary<string, string> { ["TYPEDTASKS_REDIS"] = "127.0.0.1:" + ClosedPort(), ["TYPEDTASKS_PREFIX"] = "elsewhere" },
            input: null);
        Assert.Equal([queue], overridden.Json().GetProperty("queues").EnumerateArray().Select(q => q.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task Unknown_queues_exit_4()
    {
        await using var deployment = new Deployment(redis);
        await deployment.SendAsync("known");
        foreach (var arguments in new[] { new[] { "dead-letters", "list", "-q", "typo" }, ["dead-letters", "purge", "--all", "-q", "typo", "--yes"], ["dead-letters", "show", "1-1", "-q", "typo"], ["dead-letters", "requeue", "--all", "-q", "typo"] })
        {
            var run = await deployment.RunAsync(arguments);
            Assert.True(run.ExitCode == ExitCodes.NotFound, run.ToString());
            Assert.Equal("typedtasks: unknown queue 'typo' (known: known); check --prefix", run.Error.TrimEnd());
        }
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
