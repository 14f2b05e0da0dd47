using System;
using System.Linq;
using System.Threading.Tasks;
using TypedTasks.Generated;

namespace TypedTasks.Cli.Tests;

[Collection(StandaloneCollection.Name)]
public sealed class WorkflowCommandTests(StandaloneRedis redis)
{
    [Fact]
    public async Task Status_lists_every_step_and_cancel_stops_the_workflow()
    {
        await using var deployment = new Deployment(redis);
        var client = new TaskClient(deployment.Broker);
        var queue = TestMessages.Queue();
        var first = TaskMessages.Create("cli.first", queue, """{"n":1}"""u8.ToArray(), null, TypedTasksJsonContext.Default.Int32);
        var second = WorkflowSteps.With<int, int>(new TaskRequest("cli.second", queue, "{}"u8.ToArray()), "n", TypedTasksJsonContext.Default.Int32);
        var handle = await first.Then(second).SendAsync(client);

        var status = (await deployment.RunAsync("workflow", "status", handle.Id, "--json")).Json();
        Assert.Equal((handle.Id, "Running"), (status.GetProperty("workflowId").GetString(), status.GetProperty("state").GetString()));
        var steps = status.GetProperty("steps").EnumerateArray().ToArray();
        Assert.Equal(["Queued", "Waiting"], steps.Select(s => s.GetProperty("state").GetString()));
        Assert.Equal(["cli.first", "cli.second"], steps.Select(s => s.GetProperty("actor").GetString()));
        Assert.Equal($"{handle.Id}.0", steps[0].GetProperty("taskId").GetString());
        Assert.Equal([0], steps[1].GetProperty("dependsOn").EnumerateArray().Select(d => d.GetInt32()));

        var table = await deployment.RunAsync("workflow", "status", handle.Id);
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains("cli.second", table.Out, StringComparison.Ordinal);

        var cancelled = await deployment.RunAsync("workflow", "cancel", handle.Id);
        Assert.True(cancelled.ExitCode == 0, cancelled.ToString());
        Assert.Equal($"cancelled workflow {handle.Id}", cancelled.Out.TrimEnd());
        var after = (await deployment.RunAsync("workflow", "status", handle.Id, "--json")).Json();
        Assert.Equal("Cancelled", after.GetProperty("state").GetString());
        Assert.Equal(["Cancelled", "NotRun"], after.GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("state").GetString()));
        var stepOutcome = await deployment.Broker.Results.GetAsync($"{handle.Id}.0");
        Assert.Equal(DeadLetterReason.Cancelled, stepOutcome!.Error!.Reason);

        var again = (await deployment.RunAsync("workflow", "cancel", handle.Id, "--json")).Json();
        Assert.Equal("AlreadyCancelled", again.GetProperty("result").GetString());
    }

    [Theory]
    [InlineData("status")]
    [InlineData("cancel")]
    public async Task An_unknown_workflow_exits_4_and_a_malformed_id_2(string command)
    {
        await using var deployment = new Deployment(redis);
        var unknown = await deployment.RunAsync("workflow", command, "wf-nothing-here");
        Assert.True(unknown.ExitCode == ExitCodes.NotFound, unknown.ToString());
        Assert.Contains("wf-nothing-here", unknown.Error, StringComparison.Ordinal);

        var malformed = await deployment.RunAsync("workflow", command, "not an id");
        Assert.True(malformed.ExitCode == ExitCodes.Usage, malformed.ToString());
    }
}
