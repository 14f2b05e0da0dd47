using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Reports.Actors;
using TypedTasks;

namespace AotWorker;

/// <summary>Enqueues from a separate process, the way a web API or another service would, and checks the outcomes.</summary>
internal static class Producer
{
    private const int ReportCount = 10;
    private static readonly TimeSpan s_resultTimeout = TimeSpan.FromSeconds(60);

    public static async Task<int> EnqueueAndCheckAsync(int count, string[] hostArgs)
    {
        using var host = BuildSenderHost(hostArgs);
        var client = host.Services.GetRequiredService<ITaskClient>();
        var stopwatch = Stopwatch.StartNew();

        // One batch (one round trip per queue) of additions 1+1, 2+2, ... n+n: their sum is n(n+1).
        var messages = new TaskRequest[count];
        for (var i = 0; i < count; i++)
        {
            messages[i] = Tasks.MathActors.Add.Message(i + 1, i + 1);
        }

        var handles = await client.SendManyAsync(messages).ConfigureAwait(false);

        // A few reports: an instance actor with a user-defined result type, resolved from DI on the worker.
        var reports = new List<(int Customer, TaskHandle<Report> Handle)>(ReportCount);
        var from = new DateOnly(2026, 1, 1);
        for (var customer = 1; customer <= ReportCount; customer++)
        {
            reports.Add((customer, await Tasks.ReportGenerator.GenerateReport.SendAsync(client, new ReportRequest(customer, from, from.AddDays(9))).ConfigureAwait(false)));
        }

        Console.WriteLine($"Sent {count} additions and {ReportCount} reports in {stopwatch.ElapsedMilliseconds} ms; waiting for results");

        long sum = 0;
        foreach (var handle in handles)
        {
            sum += await Tasks.MathActors.Add.Handle(handle).GetResultAsync(s_resultTimeout).ConfigureAwait(false);
        }

        var failures = 0;
        var expectedSum = (long)count * (count + 1);
        if (sum != expectedSum)
        {
            Console.Error.WriteLine($"FAIL: sum of results {sum}, expected {expectedSum}");
            failures++;
        }

        foreach (var (customer, handle) in reports)
        {
            var report = await handle.GetResultAsync(s_resultTimeout).ConfigureAwait(false);
            if (report.CustomerId != customer || report.Orders != 10 || report.Revenue != 10m * customer)
            {
                Console.Error.WriteLine($"FAIL: report for customer {customer} is {report}");
                failures++;
            }

            // The report actor tracks its status and reports progress: one read gives both.
            var status = await handle.GetStatusAsync().ConfigureAwait(false);
            if (status.State != TaskState.Succeeded || status.Attempt != 1 || status.Worker is null
                || status.Progress is not { Percent: 100, Message: "10 orders read" })
            {
                Console.Error.WriteLine($"FAIL: status of the report for customer {customer} is {status}");
                failures++;
            }
        }

        Console.WriteLine($"All {count + ReportCount} results in after {stopwatch.ElapsedMilliseconds} ms: sum of additions {sum} (expected {expectedSum}), {ReportCount - failures} reports correct, status succeeded with progress 100%");
        return failures == 0 ? 0 : 1;
    }

    public static async Task<int> ProbeAsync(string[] hostArgs)
    {
        using var host = BuildSenderHost(hostArgs);
        var client = host.Services.GetRequiredService<ITaskClient>();
        var handle = await client.SendAsync(Tasks.MathActors.Add.Message(20, 22)).ConfigureAwait(false);
        Console.WriteLine(handle.Id);
        return 0;
    }

    /// <summary>Sends a long <c>math.wait</c> twice, unique by arguments; the second send must name the first task.</summary>
    public static async Task<int> SendUniqueAsync(string[] hostArgs)
    {
        using var host = BuildSenderHost(hostArgs);
        var client = host.Services.GetRequiredService<ITaskClient>();
        var unique = new SendOptions { UniqueByArguments = true };
        var first = await Tasks.MathActors.Wait.SendAsync(client, 600, unique).ConfigureAwait(false);
        var second = await Tasks.MathActors.Wait.SendAsync(client, 600, unique).ConfigureAwait(false);
        if (first.IsDuplicate || !second.IsDuplicate || second.Id != first.Id)
        {
            Console.Error.WriteLine($"FAIL: the second unique send was not recognised (first {first.Id}, second {second.Id}, duplicate {second.IsDuplicate})");
            return 1;
        }

        Console.WriteLine($"{first.Id} duplicate recognised");
        return 0;
    }

    /// <summary>Cancels a task and waits for its cancelled outcome.</summary>
    public static async Task<int> CancelAsync(string taskId, string[] hostArgs)
    {
        using var host = BuildSenderHost(hostArgs);
        var client = host.Services.GetRequiredService<ITaskClient>();
        var result = await client.CancelAsync(taskId).ConfigureAwait(false);
        var outcome = await client.Results.WaitAsync(taskId, s_resultTimeout).ConfigureAwait(false);
        Console.WriteLine($"{result}; outcome {outcome?.Error?.Reason.ToString() ?? "none"}");
        return result == CancelResult.Cancelled && outcome?.Error?.Reason == DeadLetterReason.Cancelled ? 0 : 1;
    }

    /// <summary>
    /// Sends a workflow whose steps run on the worker: a group of ten chains (add(i, i) then add(+1)), a step that sums
    /// the group's results (a chord), then one more add (a chain): the result is 1120. Checks the result and that the
    /// workflow and every step succeeded.
    /// </summary>
    public static async Task<int> WorkflowAsync(string[] hostArgs)
    {
        using var host = BuildSenderHost(hostArgs);
        var client = host.Services.GetRequiredService<ITaskClient>();
        var members = new List<Workflow<long>>();
        for (var i = 1; i <= 10; i++)
        {
            members.Add(Tasks.MathActors.Add.Message(i, i).Then(Tasks.MathActors.Add.With(b: 1)));
        }

        var workflow = Workflow.Group(members)
            .Then(Tasks.MathActors.Sum.With())
            .Then(Tasks.MathActors.Add.With(b: 1000));
        var handle = await workflow.SendAsync(client).ConfigureAwait(false);
        var result = await handle.GetResultAsync(s_resultTimeout).ConfigureAwait(false);
        var status = await handle.GetWorkflowStatusAsync().ConfigureAwait(false);
        var succeeded = 0;
        foreach (var step in status.Steps)
        {
            if (step.State == WorkflowStepState.Succeeded)
            {
                succeeded++;
            }
            else
            {
                Console.Error.WriteLine($"FAIL: step {step.Index} ({step.Actor ?? "group"}) of workflow {handle.Id} is {step.State}");
            }
        }

        const long Expected = 1120;   // sum of (2i + 1) for i = 1..10, plus 1000
        if (result != Expected || status.State != WorkflowState.Succeeded || succeeded != status.Steps.Count)
        {
            Console.Error.WriteLine($"FAIL: workflow {handle.Id} is {status.State} with result {result} (expected {Expected}), {succeeded} of {status.Steps.Count} steps succeeded");
            return 1;
        }

        Console.WriteLine($"workflow {handle.Id} succeeded: result {result}, {succeeded} of {status.Steps.Count} steps succeeded");
        return 0;
    }

    // The same configuration as the worker, without a worker: this process only sends and reads outcomes.
    private static IHost BuildSenderHost(string[] hostArgs)
    {
        var builder = Host.CreateApplicationBuilder(hostArgs);
        Telemetry.AddIfConfigured(builder, "aot-producer");
        builder.Services.AddTypedTasks(Tasks.Registry, builder.Configuration.GetSection("TypedTasks")).UseRedis().WithoutWorker();
        var host = builder.Build();
        Telemetry.StartWithoutHost(host.Services);
        return host;
    }
}
