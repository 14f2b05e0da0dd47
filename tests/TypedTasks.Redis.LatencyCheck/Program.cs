using System;
using System.Diagnostics;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using TypedTasks;
using TypedTasks.Brokers;
using TypedTasks.Redis;

// Manual check (not a test): how long an idle consumer takes to pick up a new message, and how much CPU an idle
// consumer burns. Usage: LatencyCheck [configuration=127.0.0.1:6379] [samples=500] [idle seconds=10]
var configuration = args.Length > 0 ? args[0] : "127.0.0.1:6379";
var samples = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 500;
var idleSeconds = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 10;

await using var broker = await RedisBroker.ConnectAsync(configuration, new RedisBrokerOptions { KeyPrefix = "latency" + Environment.ProcessId });
var queue = "latency";
await using var consumer = await broker.CreateConsumerAsync(new ConsumerOptions { Queues = [queue] });
var arguments = Encoding.UTF8.GetBytes("""{"n":1}""");
long sentAt = 0;
var latencies = new double[samples];
var received = 0;
using var stop = new CancellationTokenSource();
var loop = Task.Run(async () =>
{
    var buffer = new TaskDelivery[16];
    try
    {
        while (true)
        {
            var n = await consumer.ReceiveAsync(buffer, stop.Token);
            var now = Stopwatch.GetTimestamp();
            if (received < samples)
            {
                latencies[received] = Stopwatch.GetElapsedTime(Volatile.Read(ref sentAt), now).TotalMilliseconds;
            }

            received++;
            for (var i = 0; i < n; i++)
            {
                await consumer.AckAsync(buffer[i]);
            }
        }
    }
    catch (OperationCanceledException)
    {
    }
});

// Warm up (JIT, script cache), then one message at a time to an idle consumer.
for (var i = 0; i < samples + 20; i++)
{
    if (i == 20)
    {
        received = 0;
    }

    await Task.Delay(20); // the consumer is idle, waiting for a wake-up, when the message arrives
    Volatile.Write(ref sentAt, Stopwatch.GetTimestamp());
    await broker.SendAsync(new TaskMessage { Id = TaskId.NewId(), Actor = "a", Queue = queue, Arguments = arguments, EnqueuedAt = DateTimeOffset.UtcNow });
}

await Task.Delay(200);
var sorted = latencies.Order().ToArray();
Console.WriteLine($"pickup latency over {samples} sends to an idle consumer: p50 {sorted[samples / 2]:F3} ms, p90 {sorted[samples * 9 / 10]:F3} ms, p99 {sorted[samples * 99 / 100]:F3} ms, max {sorted[^1]:F3} ms");

var process = Process.GetCurrentProcess();
var cpuBefore = process.TotalProcessorTime;
var wallBefore = Stopwatch.GetTimestamp();
await Task.Delay(TimeSpan.FromSeconds(idleSeconds));
process.Refresh();
var cpu = process.TotalProcessorTime - cpuBefore;
var wall = Stopwatch.GetElapsedTime(wallBefore);
Console.WriteLine($"idle consumer process CPU: {cpu.TotalMilliseconds:F0} ms over {wall.TotalSeconds:F1} s ({100 * cpu / wall:F2} % of one core)");
await stop.CancelAsync();
await loop;
return 0;
