using System;
using System.Buffers;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using TypedTasks;
using TypedTasks.LoadTest;
using TypedTasks.Redis;

// The load test's worker process. Protocol with the orchestrator (benchmarks/TypedTasks.LoadTest), the same as the
// peers' workers (benchmarks/compare):
//   READY <monotonic ns>   the worker has started and waits for tasks
//   DONE <json>            the n-th counted task is done; json = { done_ns, first_done_ns, latencies_ms? }
// It then keeps running, so the orchestrator can read /proc/<pid>/status, until its stdin closes.
//
//   TypedTasks.LoadTest.Worker --redis 127.0.0.1:6379 --mode drain|latency|cold-start --n N [--concurrency 50]
var redisOption = new Option<string>("--redis")
{
    Description = "The Redis to consume from",
    HelpName = "host:port",
    DefaultValueFactory = _ => "127.0.0.1:6379",
};
var modeOption = new Option<string>("--mode")
{
    Description = "drain and cold-start: DONE after the n-th acknowledged task; latency: DONE with every task's " +
        "enqueue-to-start latency after n tasks",
    DefaultValueFactory = _ => "drain",
};
modeOption.AcceptOnlyFromAmong("drain", "latency", "cold-start");
var nOption = new Option<int>("--n")
{
    Description = "The number of tasks to wait for",
    DefaultValueFactory = _ => 1,
    CustomParser = AtLeastOne,
};
var concurrencyOption = new Option<int>("--concurrency")
{
    Description = "The worker's concurrency",
    DefaultValueFactory = _ => 50,
    CustomParser = AtLeastOne,
};
var root = new RootCommand("The load test's worker process, launched by TypedTasks.LoadTest (benchmarks/run-all.sh).")
{
    redisOption, modeOption, nOption, concurrencyOption,
};
root.SetAction(parseResult => RunAsync(
    parseResult.GetValue(redisOption)!,
    parseResult.GetValue(modeOption)!,
    parseResult.GetValue(nOption),
    parseResult.GetValue(concurrencyOption)));
return await root.Parse(args).InvokeAsync();

static async Task<int> RunAsync(string redisEndpoint, string mode, int n, int concurrency)
{
    var done = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
    long firstDoneNs = 0;
    var acked = 0;

    void OnAcked()
    {
        var count = Interlocked.Increment(ref acked);
        if (count == 1)
        {
            Volatile.Write(ref firstDoneNs, Monotonic.NowNs());
        }

        if (mode != "latency" && count == n)
        {
            done.TrySetResult(Monotonic.NowNs());
        }
    }

    if (mode == "latency")
    {
        StartProbe.Enable(n, () => done.TrySetResult(Monotonic.NowNs()));
    }

    using var listeners = ObservabilityListeners.StartIfAsked();
    await using var redis = await RedisBroker.ConnectAsync(redisEndpoint);
    var broker = new AckCountingBroker(redis, OnAcked);
    var worker = new TaskWorker(broker, Tasks.Registry, new WorkerOptions { Concurrency = concurrency });
    await worker.StartAsync();
    Console.Out.WriteLine("READY " + Monotonic.NowNs().ToString(CultureInfo.InvariantCulture));
    Console.Out.Flush();

    var stdinClosed = Task.Run(static () =>
    {
        while (Console.In.ReadLine() is not null)
        {
        }
    });

    var finished = await Task.WhenAny(done.Task, stdinClosed);
    if (finished == done.Task)
    {
        Console.Out.WriteLine("DONE " + DoneReport(done.Task.Result, Volatile.Read(ref firstDoneNs), mode == "latency"));
        Console.Out.Flush();
        await stdinClosed;
    }

    await worker.StopAsync();
    await worker.DisposeAsync();
    return 0;
}

static string DoneReport(long doneNs, long firstDoneNs, bool withLatencies)
{
    var buffer = new ArrayBufferWriter<byte>();
    using (var json = new Utf8JsonWriter(buffer))
    {
        json.WriteStartObject();
        json.WriteString("done_ns", doneNs.ToString(CultureInfo.InvariantCulture));
        json.WriteString("first_done_ns", firstDoneNs.ToString(CultureInfo.InvariantCulture));
        if (withLatencies)
        {
            json.WriteStartArray("latencies_ms");
            foreach (var latency in StartProbe.Snapshot())
            {
                json.WriteNumberValue(Math.Round(latency, 4));
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
    }

    return Encoding.UTF8.GetString(buffer.WrittenSpan);
}

// Range checks live in the parser, not in a validator: validators run before the library's own conversion, so one
// that reads the value of "--n abc" throws instead of reporting an error (dotnet/command-line-api#2645).
static int AtLeastOne(ArgumentResult result)
{
    var text = result.Tokens[0].Value;
    if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 1)
    {
        return value;
    }

    result.AddError($"{((OptionResult)result.Parent!).Option.Name} needs a whole number of at least 1, not '{text}'.");
    return 1;
}
