using System;
using System.Diagnostics;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Quickstart;
using TypedTasks;
using TypedTasks.Redis;

// ./demo.sh                          -> in-memory broker, nothing to install
// ./demo.sh --redis localhost:6379   -> Redis Streams (any StackExchange.Redis configuration string)
var redis = ParseRedisArgument(args);

await using ITaskBroker broker = redis is null
    ? new InMemoryBroker()
    : await RedisBroker.ConnectAsync(redis);
Console.WriteLine(redis is null ? "Broker: in-memory" : $"Broker: Redis at {redis}");

// The worker resolves instance actors (Reports) from a DI scope per message.
await using var services = new ServiceCollection()
    .AddSingleton<IReportStore, FakeReportStore>()
    .BuildServiceProvider();

// Static stubs (Tasks.X.SendAsync) send through the ambient client.
TaskClient.Default = new TaskClient(broker);

await using var worker = new TaskWorker(broker, Tasks.Registry, new WorkerOptions { Concurrency = 8 }, services);
await worker.StartAsync();

var stopwatch = Stopwatch.StartNew();

// 1. Fire and forget: compile-time-checked arguments.
await Tasks.SendWelcome.SendAsync("ada@example.com", "Ada");

// 2. A typed result.
TaskHandle<int> sum = await Tasks.Add.SendAsync(2, 3);
Console.WriteLine($"Add(2, 3) = {await sum.GetResultAsync(TimeSpan.FromSeconds(10))}");

// 3. An instance actor with a user-defined result type; its first attempt fails and is retried automatically.
TaskHandle<Report> report = await Tasks.Generate.SendAsync(42, ReportKind.Monthly);
var generated = await report.GetResultAsync(TimeSpan.FromSeconds(30));
Console.WriteLine($"Report for user {generated.UserId}: {generated.Kind}, total {generated.Total}");

// 4. A batch in one round trip: build messages without sending, then send them together.
var batch = new TaskMessage[100];
for (var i = 0; i < batch.Length; i++)
{
    batch[i] = Tasks.Add.Message(i, i);
}

var handles = await TaskClient.Default.SendManyAsync(batch);
var total = 0;
foreach (var handle in handles)
{
    total += await Tasks.Add.Handle(handle).GetResultAsync(TimeSpan.FromSeconds(10));
}

Console.WriteLine($"Batch of {handles.Count} additions, sum of results = {total}");
Console.WriteLine($"Done in {stopwatch.ElapsedMilliseconds} ms.");

await worker.StopAsync();
return 0;

static string? ParseRedisArgument(string[] args)
{
    for (var i = 0; i < args.Length; i++)
    {
        if (args[i] is "--redis" or "-r")
        {
            return i + 1 < args.Length ? args[i + 1] : "localhost:6379";
        }
    }

    return null;
}
