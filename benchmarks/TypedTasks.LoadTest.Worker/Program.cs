using System;
using System.Buffers;
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
var options = WorkerArguments.Parse(args);

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

    if (options.Mode != "latency" && count == options.N)
    {
        done.TrySetResult(Monotonic.NowNs());
    }
}

if (options.Mode == "latency")
{
    StartProbe.Enable(options.N, () => done.TrySetResult(Monotonic.NowNs()));
}

await using var redis = await RedisBroker.ConnectAsync(options.Redis);
var broker = new AckCountingBroker(redis, OnAcked);
var worker = new TaskWorker(broker, Tasks.Registry, new WorkerOptions { Concurrency = options.Concurrency });
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
    Console.Out.WriteLine("DONE " + DoneReport(done.Task.Result, Volatile.Read(ref firstDoneNs), options.Mode == "latency"));
    Console.Out.Flush();
    await stdinClosed;
}

await worker.StopAsync();
await worker.DisposeAsync();
return 0;

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
