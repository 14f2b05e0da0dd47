using System;
using System.CommandLine;
using System.Linq;
using System.Threading.Tasks;
using TypedTasks;
using TypedTasks.Redis;
using WorkflowsSample;

// dotnet run --project samples/Workflows -c Release                          -> in-memory broker, nothing to install
// dotnet run --project samples/Workflows -c Release -- --redis localhost:6379 -> Redis (any StackExchange.Redis string)
var redisOption = new Option<string?>("--redis", "-r")
{
    Description = "Run on Redis at this StackExchange.Redis configuration string instead of the in-memory broker " +
        "(without a value: localhost:6379)",
    HelpName = "host:port",
    Arity = ArgumentArity.ZeroOrOne,
    CustomParser = result => result.Tokens is [var token] ? token.Value : "localhost:6379",
};
var root = new RootCommand("TypedTasks workflows: a chain, a group and a chord, a DAG, callbacks, failures.") { redisOption };
root.SetAction(parseResult => Sample.RunAsync(parseResult.GetValue(redisOption)));
return await root.Parse(args).InvokeAsync();

internal static class Sample
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(30);

    public static async Task<int> RunAsync(string? redis)
    {
        await using ITaskBroker broker = redis is null ? new InMemoryBroker() : await RedisBroker.ConnectAsync(redis);
        Console.WriteLine(redis is null ? "Broker: in-memory" : $"Broker: Redis at {redis}");
        var client = new TaskClient(broker);
        TaskClient.Default = client;

        // One worker runs every step; on Redis, any number of worker processes could share them.
        await using var worker = new TaskWorker(broker, Tasks.Registry, new WorkerOptions { Concurrency = 8 });
        await worker.StartAsync();
        var failures = 0;

        // 1. A chain: each step's result is the next step's first argument, checked by the compiler.
        Console.WriteLine();
        Console.WriteLine("1. Chain: download -> resize(200) -> store(\"thumbs\"), with a success callback");
        Workflow<Uri> thumbnail = Tasks.Images.Download.Message("https://example.com/cat.png")
            .Then(Tasks.Images.Resize.With(width: 200))
            .Then(Tasks.Images.Store.With(bucket: "thumbs"))
            .OnSuccess(Tasks.Alerts.Stored.With());
        WorkflowHandle<Uri> chain = await thumbnail.SendAsync(client);
        Uri stored = await chain.GetResultAsync(s_timeout);
        Console.WriteLine($"  result: {stored}");
        // Callbacks have deterministic task ids: success callback 0 of step 2 is {workflow}.2.s0.
        var callback = await Tasks.Alerts.Stored.Handle(new TaskHandle($"{chain.Id}.2.s0", "alerts.stored", client)).GetResultAsync(s_timeout);
        failures += Check(callback == stored.ToString(), $"the success callback saw {callback}");
        failures += await PrintStatusAsync(chain, WorkflowState.Succeeded);

        // 2. A group (fan-out) whose results go to one step (a chord).
        Console.WriteLine();
        Console.WriteLine("2. Chord: a group of 5 (download -> measure) chains, then summarize(sizes)");
        var urls = Enumerable.Range(1, 5).Select(i => $"https://example.com/photos/{new string('p', i)}.jpg").ToArray();
        Workflow<string> sizes = Workflow
            .Group(urls.Select(url => Tasks.Images.Download.Message(url).Then(Tasks.Images.Measure.With())))
            .Then(Tasks.Images.Summarize.With());
        WorkflowHandle<string> chord = await sizes.SendAsync(client);
        var summary = await chord.GetResultAsync(s_timeout);
        Console.WriteLine($"  result: {summary}");
        var expected = urls.Sum(url => url.Length * 1024L);
        failures += Check(summary.Contains($"{expected} bytes", StringComparison.Ordinal), $"the summary should count {expected} bytes");
        failures += await PrintStatusAsync(chord, WorkflowState.Succeeded);

        // 3. A DAG: load runs once and feeds three steps; decide takes their three results as typed arguments.
        Console.WriteLine();
        Console.WriteLine("3. DAG: load(42) -> (price, stock, risk) -> decide(price, inStock, risk)");
        TaskRequest<Order> load = Tasks.Orders.Load.Message(42);
        Workflow<decimal> price = Tasks.Orders.Price.Step(load);
        Workflow<bool> stock = Tasks.Orders.Stock.Step(load);
        Workflow<int> risk = Tasks.Orders.Risk.Step(load, strict: true);
        WorkflowHandle<Decision> dag = await Tasks.Orders.Decide.Step(price, stock, risk).SendAsync(client);
        Decision decision = await dag.GetResultAsync(s_timeout);
        Console.WriteLine($"  result: {decision}");
        failures += Check(decision == new Decision(true, "19.90 EUR, risk 30"), "the decision should accept at 19.90 EUR, risk 30");
        failures += await PrintStatusAsync(dag, WorkflowState.Succeeded);

        // 4. A failure: one download fails for good, so the group, the summary and the workflow fail; the failure
        //    callback of the last step runs with a WorkflowFailure naming the step that failed.
        Console.WriteLine();
        Console.WriteLine("4. Failure: a chord with a broken download, and a failure callback on its last step");
        Workflow<string> failing = Workflow
            .Group(new[] { "https://example.com/a.jpg", "https://example.com/broken.jpg" }.Select(url => Tasks.Images.Download.Message(url).Then(Tasks.Images.Measure.With())))
            .Then(Tasks.Images.Summarize.With())
            .OnFailure(Tasks.Alerts.Failed.With(channel: "#ops"));
        WorkflowHandle<string> failed = await failing.SendAsync(client);
        try
        {
            await failed.GetResultAsync(s_timeout);
            failures += Check(false, "the workflow with a broken download succeeded");
        }
        catch (TaskFailedException exception)
        {
            Console.WriteLine($"  result: TaskFailedException: {exception.Message}");
        }

        var status = await failed.GetWorkflowStatusAsync();
        var last = status.Steps.Count - 1;
        var alert = await Tasks.Alerts.Failed.Handle(new TaskHandle($"{failed.Id}.{last}.f0", "alerts.failed", client)).GetResultAsync(s_timeout);
        failures += Check(alert.Contains("images.download", StringComparison.Ordinal), "the failure callback should name images.download");
        failures += await PrintStatusAsync(failed, WorkflowState.Failed);

        // 5. A group that tolerates one failed member: the next step gets the successful members' results.
        Console.WriteLine();
        Console.WriteLine("5. Tolerant group: Workflow.Group(downloads, maxFailures: 1) with one broken download, then count(images)");
        var tolerant = Workflow
            .Group(new[] { "https://example.com/a.jpg", "https://example.com/broken.jpg", "https://example.com/bb.jpg" }.Select(url => Tasks.Images.Download.Message(url)), maxFailures: 1)
            .Then(Tasks.Images.Count.With());
        WorkflowHandle<string> tolerated = await tolerant.SendAsync(client);
        var partial = await tolerated.GetResultAsync(s_timeout);
        Console.WriteLine($"  result: {partial}");
        failures += Check(partial.StartsWith("2 images", StringComparison.Ordinal), "the tolerant group should pass on 2 images");
        failures += await PrintStatusAsync(tolerated, WorkflowState.Succeeded);

        // 6. An idempotent send: the same WorkflowId twice starts the workflow once.
        Console.WriteLine();
        Console.WriteLine("6. Idempotent send: the same WorkflowId twice");
        var options = new WorkflowOptions { WorkflowId = $"thumbnail-{Guid.NewGuid():N}", TimeToLive = TimeSpan.FromHours(1) };
        var first = await thumbnail.SendAsync(client, options);
        var second = await thumbnail.SendAsync(client, options);
        Console.WriteLine($"  first {first.Id} (duplicate: {first.IsDuplicate}), second {second.Id} (duplicate: {second.IsDuplicate})");
        failures += Check(!first.IsDuplicate && second.IsDuplicate && second.Id == first.Id, "the second send should be a duplicate");
        Console.WriteLine($"  result: {await second.GetResultAsync(s_timeout)}");

        await worker.StopAsync();
        Console.WriteLine();
        Console.WriteLine(failures == 0 ? "All workflows behaved as expected." : $"{failures} check(s) failed.");
        return failures == 0 ? 0 : 1;
    }

    /// <summary>Prints the workflow's state and each step's (one read); counts a failure when the state is not as expected.</summary>
    private static async Task<int> PrintStatusAsync(WorkflowHandle handle, WorkflowState expected)
    {
        var status = await handle.GetWorkflowStatusAsync();
        Console.WriteLine($"  workflow {status.WorkflowId}: {status.State}");
        foreach (var step in status.Steps)
        {
            var after = step.DependsOn.Count == 0 ? "" : $" after [{string.Join(",", step.DependsOn)}]";
            var error = step.Error is { } e ? $" ({e.Reason}: {e.Message})" : "";
            Console.WriteLine($"    step {step.Index,-2} {step.Actor ?? "(group)",-17} {step.State,-9}{after}{error}");
        }

        return Check(status.State == expected, $"the workflow should be {expected}");
    }

    private static int Check(bool condition, string what)
    {
        if (condition)
        {
            return 0;
        }

        Console.Error.WriteLine($"  CHECK FAILED: {what}");
        return 1;
    }
}
