using System;
using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Tasks;

namespace TypedTasks.Cli.Tests;

[Collection(StandaloneCollection.Name)]
public sealed class MonitorCommandTests(StandaloneRedis redis)
{
    [Fact]
    public async Task Queues_and_stats_json_count_what_the_test_put_in_redis()
    {
        await using var deployment = new Deployment(redis);
        var (busy, quiet) = ("a" + TestMessages.Queue(), "b" + TestMessages.Queue());
        await deployment.DeadLetterAsync(busy, "orders.pay", DeadLetterReason.RetriesExhausted, "declined");
        for (var i = 0; i < 3; i++)
        {
            await deployment.SendAsync(busy);
        }

        await deployment.SendAsync(busy, delay: TimeSpan.FromHours(1));
        await deployment.SendAsync(busy, delay: TimeSpan.FromHours(2));
        await deployment.SendAsync(quiet);
        var worker = await deployment.ConsumerAsync("w-" + busy, busy);
        Assert.NotNull(await worker.ReceiveOneAsync(TimeSpan.FromSeconds(15)));

        var queues = (await deployment.RunAsync("queues", "--json")).Json().GetProperty("queues").EnumerateArray().ToArray();

        Assert.Equal([busy, quiet], queues.Select(q => q.GetProperty("name").GetString()));
        var (b, q) = (queues[0], queues[1]);
        Assert.Equal(2, b.GetProperty("waiting").GetInt64());
        Assert.Equal(2, b.GetProperty("scheduled").GetInt64());
        Assert.Equal(0, b.GetProperty("scheduledDue").GetInt64());
        Assert.Equal(1, b.GetProperty("inFlight").GetInt64());
        Assert.Equal(1, b.GetProperty("deadLetters").GetInt64());
        Assert.True(b.GetProperty("consumers").GetInt32() >= 1);
        Assert.True(b.GetProperty("oldestWaitingSeconds").GetDouble() >= 0);
        Assert.Equal(1, q.GetProperty("waiting").GetInt64());
        Assert.Equal(0, q.GetProperty("inFlight").GetInt64() + q.GetProperty("scheduled").GetInt64() + q.GetProperty("deadLetters").GetInt64());
        Assert.Equal(0, q.GetProperty("consumers").GetInt32());

        var stats = (await deployment.RunAsync("stats", "--json")).Json();
        Assert.Equal(2, stats.GetProperty("queueCount").GetInt32());
        Assert.Equal(1, stats.GetProperty("workerCount").GetInt32());
        Assert.Equal(3, stats.GetProperty("waiting").GetInt64());
        Assert.Equal(2, stats.GetProperty("scheduled").GetInt64());
        Assert.Equal(1, stats.GetProperty("inFlight").GetInt64());
        Assert.Equal(1, stats.GetProperty("deadLetters").GetInt64());
        Assert.Equal(2, stats.GetProperty("queues").GetArrayLength());

        var table = await deployment.RunAsync("queues");
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Matches(new Regex($@"│ {busy} +│ +2 │ +2 │ +0 │ +1 │ +1 │"), table.Out);
        Assert.Matches(new Regex($@"│ {quiet} +│ +1 │ +0 │ +0 │ +0 │ +0 │ +0 │"), table.Out);
        var totals = await deployment.RunAsync("stats");
        Assert.Matches(new Regex(@"Waiting +3\b"), totals.Out);
        Assert.Matches(new Regex(@"Dead letters +1\b"), totals.Out);
    }

    [Fact]
    public async Task Workers_json_lists_each_live_consumer_with_its_host_process_and_queues()
    {
        await using var deployment = new Deployment(redis);
        var (first, second) = (TestMessages.Queue(), TestMessages.Queue());
        var name = "cli-worker-" + Guid.NewGuid().ToString("N")[..6];
        await deployment.ConsumerAsync(name, first, second);
        await Eventually.UntilAsync(async () => (await deployment.Broker.Monitor.GetWorkersAsync()).Count == 1, "the consumer's first heartbeat registered it");

        var workers = (await deployment.RunAsync("workers", "--json")).Json().GetProperty("workers").EnumerateArray().ToArray();

        var worker = Assert.Single(workers);
        Assert.Equal(name, worker.GetProperty("name").GetString());
        Assert.Equal(Environment.MachineName, worker.GetProperty("host").GetString());
        Assert.Equal(Environment.ProcessId, worker.GetProperty("processId").GetInt32());
        Assert.Equal([first, second], worker.GetProperty("queues").EnumerateArray().Select(q => q.GetString()));
        Assert.Equal(0, worker.GetProperty("running").GetInt32());
        Assert.InRange(worker.GetProperty("lastHeartbeat").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));

        var table = await deployment.RunAsync("workers");
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains(name, table.Out, StringComparison.Ordinal);
        Assert.Contains($"{first}, {second}", table.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Queue_purge_refuses_without_yes_then_empties_waiting_and_scheduled_only()
    {
        await using var deployment = new Deployment(redis);
        var queue = TestMessages.Queue();
        await deployment.DeadLetterAsync(queue, "a.one", DeadLetterReason.RetriesExhausted, "x");
        await deployment.SendAsync(queue);
        await deployment.SendAsync(queue);
        await deployment.SendAsync(queue, delay: TimeSpan.FromHours(1));

        var refused = await deployment.RunAsync("queue", "purge", queue);
        Assert.True(refused.ExitCode == ExitCodes.NotConfirmed, refused.ToString());
        Assert.Equal(2, (await deployment.Broker.Monitor.GetQueueAsync(queue))!.Waiting);

        var purged = (await deployment.RunAsync("queue", "purge", queue, "--yes", "--json")).Json();
        Assert.Equal(2, purged.GetProperty("waiting").GetInt64());
        Assert.Equal(1, purged.GetProperty("scheduled").GetInt64());
        var after = (await deployment.Broker.Monitor.GetQueueAsync(queue))!;
        Assert.Equal((0L, 0L, 1L), (after.Waiting, after.Scheduled, after.DeadLetters));

        var unknown = await deployment.RunAsync("queue", "purge", "no-such-queue", "--yes");
        Assert.True(unknown.ExitCode == ExitCodes.NotFound, unknown.ToString());
        Assert.Contains("unknown queue 'no-such-queue'", unknown.Error, StringComparison.Ordinal);
        Assert.Contains(queue, unknown.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Top_prints_the_requested_number_of_refreshes_and_exits_0()
    {
        await using var deployment = new Deployment(redis);
        var queue = TestMessages.Queue();
        await deployment.SendAsync(queue);

        var top = await deployment.RunAsync("top", "--iterations", "2", "--interval", "100ms");

        Assert.True(top.ExitCode == 0, top.ToString());
        Assert.Equal(2, Regex.Matches(top.Out, "^typedtasks top ", RegexOptions.Multiline).Count);
        Assert.Equal(2, Regex.Matches(top.Out, $@"│ {queue} +│ +1 │").Count);
        Assert.Contains("prefix " + deployment.Prefix, top.Out, StringComparison.Ordinal);
    }
}
