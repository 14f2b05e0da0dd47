using System;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;

namespace TypedTasks.Cli.Tests;

[Collection(StandaloneCollection.Name)]
public sealed class TaskStatusCommandTests(StandaloneRedis redis)
{
    [Fact]
    public async Task Status_of_a_tracked_queued_task_is_queued_and_after_cancel_is_cancelled()
    {
        await using var deployment = new Deployment(redis);
        var handle = await SendTrackedAsync(deployment);

        var queued = (await deployment.RunAsync("task", "status", handle.Id, "--json")).Json();
        Assert.Equal((handle.Id, "Queued", 0), (queued.GetProperty("taskId").GetString(), queued.GetProperty("state").GetString(), queued.GetProperty("attempt").GetInt32()));
        var expected = await deployment.Broker.Status.GetAsync(handle.Id);
        Assert.Equal(expected.EnqueuedAt!.Value.ToUnixTimeMilliseconds(), queued.GetProperty("enqueuedAt").GetDateTimeOffset().ToUnixTimeMilliseconds());
        foreach (var name in new[] { "worker", "startedAt", "completedAt", "nextAttemptAt", "error", "progress" })
        {
            Assert.True(queued.GetProperty(name).ValueKind == JsonValueKind.Null, name);
        }

        var cancel = await deployment.RunAsync("task", "cancel", handle.Id);
        Assert.True(cancel.ExitCode == 0, cancel.ToString());

        var cancelled = (await deployment.RunAsync("task", "status", handle.Id, "--json")).Json();
        Assert.Equal("Cancelled", cancelled.GetProperty("state").GetString());
        Assert.Equal("Cancelled", cancelled.GetProperty("error").GetProperty("reason").GetString());
        Assert.Equal(JsonValueKind.String, cancelled.GetProperty("completedAt").ValueKind);

        var table = await deployment.RunAsync("task", "status", handle.Id);
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains("Cancelled", Row(table.Out, "State"), StringComparison.Ordinal);
        Assert.Contains("Cancelled", Row(table.Out, "Reason"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_of_a_running_task_shows_worker_attempt_and_progress_in_the_table_and_the_json()
    {
        await using var deployment = new Deployment(redis);
        var handle = await SendTrackedAsync(deployment);
        // What a worker records when attempt 2 starts on it, and what the actor's TaskProgress stores.
        var started = DateTimeOffset.UtcNow;
        Assert.True(await deployment.Broker.Status.RecordAsync(handle.Id, new TaskStatusUpdate(TaskState.Running, started) { Attempt = 2, Worker = "worker-7" }, TimeSpan.FromMinutes(5)));
        await deployment.Broker.Status.ReportProgressAsync(handle.Id, new TaskProgressUpdate(40, "rows 400/1000", Encoding.UTF8.GetBytes("""{"rows":400}"""), started), TimeSpan.FromMinutes(5));

        var json = (await deployment.RunAsync("task", "status", handle.Id, "--json")).Json();
        Assert.Equal(("Running", 2, "worker-7"), (json.GetProperty("state").GetString(), json.GetProperty("attempt").GetInt32(), json.GetProperty("worker").GetString()));
        Assert.Equal(started.ToUnixTimeMilliseconds(), json.GetProperty("startedAt").GetDateTimeOffset().ToUnixTimeMilliseconds());
        var progress = json.GetProperty("progress");
        Assert.Equal(40, progress.GetProperty("percent").GetDouble());
        Assert.Equal("rows 400/1000", progress.GetProperty("message").GetString());
        Assert.Equal(400, JsonDocument.Parse(progress.GetProperty("value").GetString()!).RootElement.GetProperty("rows").GetInt32());
        Assert.Equal(1, progress.GetProperty("sequence").GetInt64());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("error").ValueKind);

        var table = await deployment.RunAsync("task", "status", handle.Id);
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains("Running", Row(table.Out, "State"), StringComparison.Ordinal);
        Assert.Contains("worker-7", Row(table.Out, "Worker"), StringComparison.Ordinal);
        Assert.Contains("2", Row(table.Out, "Attempt"), StringComparison.Ordinal);
        Assert.Contains("40% rows 400/1000", Row(table.Out, "Progress"), StringComparison.Ordinal);
        Assert.DoesNotContain("Completed", table.Out, StringComparison.Ordinal); // only the fields that have a value
    }

    [Fact]
    public async Task Status_of_an_unknown_id_exits_4_with_one_line()
    {
        await using var deployment = new Deployment(redis);
        var untracked = await deployment.SendAsync(TestMessages.Queue()); // sent without tracking, not finished: unknown too

        foreach (var id in new[] { TaskId.NewId(), untracked.Id })
        {
            var run = await deployment.RunAsync("task", "status", id, "--json");
            Assert.True(run.ExitCode == ExitCodes.NotFound, run.ToString());
            Assert.Equal(string.Empty, run.Out);
            var line = Assert.Single(run.Error.TrimEnd().Split('\n'));
            Assert.Contains(id, line, StringComparison.Ordinal);
        }
    }

    private static async Task<TaskHandle> SendTrackedAsync(Deployment deployment)
    {
        var client = new TaskClient(deployment.Broker);
        return await client.SendAsync(new TaskRequest("test.actor", TestMessages.Queue(), """{"n":1}"""u8.ToArray(), new SendOptions { TrackStatus = true }));
    }

    /// <summary>The line of the status grid whose first word is <paramref name="name"/>.</summary>
    private static string Row(string output, string name)
    {
        foreach (var line in output.Split('\n'))
        {
            if (line.TrimStart().StartsWith(name + " ", StringComparison.Ordinal))
            {
                return line;
            }
        }

        throw new Xunit.Sdk.XunitException($"no '{name}' row in:\n{output}");
    }
}
