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
    public async Task Cancel_of_a_malformed_id_is_a_usage_error()
    {
        await using var deployment = new Deployment(redis);
        var run = await deployment.RunAsync("task", "cancel", "not an id");
        Assert.True(run.ExitCode == ExitCodes.Usage, run.ToString());
        Assert.Single(run.Error.TrimEnd().Split('\n'));
    }
}
