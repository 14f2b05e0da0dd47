using System;
using System.Threading.Tasks;

namespace TypedTasks.Cli.Tests;

[Collection(StandaloneCollection.Name)]
public sealed class TaskCommandTests(StandaloneRedis redis)
{
    [Fact]
    public async Task Cancel_gives_a_queued_task_the_cancelled_outcome_and_a_second_cancel_changes_nothing()
    {
        await using var deployment = new Deployment(redis);
        var task = await deployment.SendAsync(TestMessages.Queue());

        var cancelled = (await deployment.RunAsync("task", "cancel", task.Id, "--json")).Json();

        Assert.Equal((task.Id, "Cancelled"), (cancelled.GetProperty("taskId").GetString(), cancelled.GetProperty("result").GetString()));
        var outcome = await deployment.Broker.Results.GetAsync(task.Id);
        Assert.False(outcome!.Succeeded);
        Assert.Equal(DeadLetterReason.Cancelled, outcome.Error!.Reason);

        var again = await deployment.RunAsync("task", "cancel", task.Id);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal($"task {task.Id} was already cancelled; nothing changed", again.Out.TrimEnd());
    }

    [Fact]
    public async Task Cancel_of_a_finished_task_reports_already_finished_and_leaves_its_outcome()
    {
        await using var deployment = new Deployment(redis);
        var task = await deployment.SendAsync(TestMessages.Queue());
        // What a worker stores when the actor completes.
        await deployment.Broker.Results.SetAsync(task.Id, new TaskOutcome(true, "42"u8.ToArray(), null, DateTimeOffset.UtcNow), TimeSpan.FromMinutes(5));

        var line = await deployment.RunAsync("task", "cancel", task.Id);
        Assert.True(line.ExitCode == 0, line.ToString());
        Assert.Equal($"task {task.Id} had already finished; nothing changed", line.Out.TrimEnd());

        var json = (await deployment.RunAsync("task", "cancel", task.Id, "--json")).Json();
        Assert.Equal((task.Id, "AlreadyFinished"), (json.GetProperty("taskId").GetString(), json.GetProperty("result").GetString()));
        var outcome = await deployment.Broker.Results.GetAsync(task.Id);
        Assert.True(outcome!.Succeeded);
        Assert.Equal("42", Deployment.Utf8(outcome.Value));
    }

    [Theory]
    [InlineData("cancel")]
    [InlineData("status")]
    public async Task A_malformed_id_is_a_usage_error(string command)
    {
        await using var deployment = new Deployment(redis);
        var run = await deployment.RunAsync("task", command, "not an id");
        Assert.True(run.ExitCode == ExitCodes.Usage, run.ToString());
        Assert.Contains("task id", Assert.Single(run.Error.TrimEnd().Split('\n')), StringComparison.Ordinal);
    }
}
