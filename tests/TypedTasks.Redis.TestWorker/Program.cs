using System;
using System.Threading;
using System.Threading.Tasks;
using TypedTasks;
using TypedTasks.Redis;

// A worker process for the crash-recovery test: it consumes one queue and "works" slowly on each task, printing
// "CLAIMED <task id>" once it holds one, so the test can SIGKILL it mid-task.
// Usage: TestWorker <configuration> <key prefix> <queue> <claim idle ms> <heartbeat ms> <work ms>
if (args.Length != 6)
{
    Console.Error.WriteLine("usage: TestWorker <configuration> <key prefix> <queue> <claim idle ms> <heartbeat ms> <work ms>");
    return 2;
}

var options = new RedisBrokerOptions
{
    KeyPrefix = args[1],
    ClaimIdleThreshold = TimeSpan.FromMilliseconds(int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture)),
    HeartbeatInterval = TimeSpan.FromMilliseconds(int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture)),
    PollInterval = TimeSpan.FromMilliseconds(250),
};
var work = TimeSpan.FromMilliseconds(int.Parse(args[5], System.Globalization.CultureInfo.InvariantCulture));

await using var broker = await RedisBroker.ConnectAsync(args[0], options);
await using var consumer = await broker.CreateConsumerAsync(new ConsumerOptions { Queues = [args[2]], ConsumerName = "test-worker-" + Environment.ProcessId });
Console.WriteLine("READY");
var buffer = new TaskDelivery[1];
while (true)
{
    var count = await consumer.ReceiveAsync(buffer, CancellationToken.None);
    for (var i = 0; i < count; i++)
    {
        Console.WriteLine("CLAIMED " + buffer[i].Message.Id);
        await Task.Delay(work);
        await consumer.AckAsync(buffer[i]);
        Console.WriteLine("DONE " + buffer[i].Message.Id);
    }
}
