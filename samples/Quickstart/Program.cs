using System;
using System.CommandLine;
using System.Diagnostics;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Quickstart;
using TypedTasks;
using TypedTasks.Redis;

// ./demo.sh                          -> in-memory broker, nothing to install
// ./demo.sh --redis localhost:6379   -> Redis Streams (any StackExchange.Redis configuration string)
// ./demo.sh --redis                  -> Redis Streams at localhost:6379
var redisOption = new Option<string?>("--redis", "-r")
{
    Description = "Run on Redis Streams at this StackExchange.Redis configuration string instead of the in-memory broker " +
        "(without a value: localhost:6379)",
    HelpName = "host:port",
    Arity = ArgumentArity.ZeroOrOne,
    // Only called when the option is given: alone it means a local Redis; absent, the value stays null (in-memory).
    CustomParser = result => result.Tokens is [var token] ? token.Value : "localhost:6379",
};
var root = new RootCommand("TypedTasks quickstart: a producer and a worker in one process.") { redisOption };
root.SetAction(parseResult => RunAsync(parseResult.GetValue(redisOption)));
return await root.Parse(args).InvokeAsync();

static async Task<int> RunAsync(string? redis)
{
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
    await Tasks.Mail.SendWelcome.SendAsync("ada@example.com", "Ada");

    // 2. A typed result.
    TaskHandle<int> sum = await Tasks.MathActors.Add.SendAsync(2, 3);
    Console.WriteLine($"Add(2, 3) = {await sum.GetResultAsync(TimeSpan.FromSeconds(10))}");

    // 3. An instance actor with a user-defined result type; its first attempt fails and is retried automatically.
    TaskHandle<Report> report = await Tasks.Reports.Generate.SendAsync(42, ReportKind.Monthly);
    var generated = await report.GetResultAsync(TimeSpan.FromSeconds(30));
    Console.WriteLine($"Report for user {generated.UserId}: {generated.Kind}, total {generated.Total}");

    // 4. A batch in one round trip: build the tasks without sending, then send them together.
    var batch = new TaskRequest[100];
    for (var i = 0; i < batch.Length; i++)
    {
        batch[i] = Tasks.MathActors.Add.Message(i, i);
    }

    var handles = await TaskClient.Default.SendManyAsync(batch);
    var total = 0;
    foreach (var handle in handles)
    {
        total += await Tasks.MathActors.Add.Handle(handle).GetResultAsync(TimeSpan.FromSeconds(10));
    }

    Console.WriteLine($"Batch of {handles.Count} additions, sum of results = {total}");
    Console.WriteLine($"Done in {stopwatch.ElapsedMilliseconds} ms.");

    await worker.StopAsync();
    return 0;
}
