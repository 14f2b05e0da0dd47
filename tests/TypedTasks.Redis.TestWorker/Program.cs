using System;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using TypedTasks;
using TypedTasks.Brokers;
using TypedTasks.Redis;
using TypedTasks.Redis.TestWorker;

// A worker process for the crash-recovery tests, which SIGKILL it mid-task.
//   consumer <configuration> <key prefix> <queue> <claim idle ms> <heartbeat ms> <work ms>
//     a bare consumer loop that prints "CLAIMED <task id>" once it holds a delivery;
//   worker <configuration> <key prefix> <claim idle ms> <heartbeat ms>
//     a real TaskWorker running this program's generated actors (see SlowActors), which print "STARTED <probe>";
//   scheduler <configuration> <key prefix>
//     a PeriodicScheduler on the real clock sending the ticks of the schedules stored under the prefix;
//   workflow <configuration> <key prefix> <claim idle ms> <heartbeat ms> <run|recorded|grouped|sent|none> <label>
//     a TaskWorker (concurrency 1) running the workflow steps of RecordingAdd (wfc.add, wfc.fail), which stops at the HandOverGate of the
//     step labelled <label> and prints "STOPPED <point> <label>" there.
const string Usage = "usage: TestWorker consumer <configuration> <key prefix> <queue> <claim idle ms> <heartbeat ms> <work ms>\n"
    + "       TestWorker worker <configuration> <key prefix> <claim idle ms> <heartbeat ms>\n"
    + "       TestWorker scheduler <configuration> <key prefix>\n"
    + "       TestWorker workflow <configuration> <key prefix> <claim idle ms> <heartbeat ms> <run|recorded|grouped|sent|none> <label>";
if (args.Length == 7 && args[0] == "consumer")
{
    await RunConsumerAsync(args[1], args[2], args[3], Milliseconds(args[4]), Milliseconds(args[5]), Milliseconds(args[6]));
    return 0;
}

if (args.Length == 5 && args[0] == "worker")
{
    await RunWorkerAsync(args[1], args[2], Milliseconds(args[3]), Milliseconds(args[4]));
    return 0;
}

if (args.Length == 3 && args[0] == "scheduler")
{
    await RunSchedulerAsync(args[1], args[2]);
    return 0;
}

if (args.Length == 7 && args[0] == "workflow" && args[5] is "run" or "recorded" or "grouped" or "sent" or "none")
{
    await RunWorkflowWorkerAsync(args[1], args[2], Milliseconds(args[3]), Milliseconds(args[4]), new HandOverGate(args[5], args[6]));
    return 0;
}

Console.Error.WriteLine(Usage);
return 2;

static TimeSpan Milliseconds(string text) => TimeSpan.FromMilliseconds(int.Parse(text, CultureInfo.InvariantCulture));

static RedisBrokerOptions BrokerOptions(string keyPrefix, TimeSpan claimIdle, TimeSpan heartbeat) => new()
{
    KeyPrefix = keyPrefix,
    ClaimIdleThreshold = claimIdle,
    HeartbeatInterval = heartbeat,
    PollInterval = TimeSpan.FromMilliseconds(250),
};

static async Task RunConsumerAsync(string configuration, string keyPrefix, string queue, TimeSpan claimIdle, TimeSpan heartbeat, TimeSpan work)
{
    await using var broker = await RedisBroker.ConnectAsync(configuration, BrokerOptions(keyPrefix, claimIdle, heartbeat));
    await using var consumer = await broker.CreateConsumerAsync(new ConsumerOptions { Queues = [queue], ConsumerName = "test-worker-" + Environment.ProcessId });
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
}

static async Task RunWorkerAsync(string configuration, string keyPrefix, TimeSpan claimIdle, TimeSpan heartbeat)
{
    await using var broker = await RedisBroker.ConnectAsync(configuration, BrokerOptions(keyPrefix, claimIdle, heartbeat));
    await using var worker = new TaskWorker(broker, Tasks.Registry, new WorkerOptions { Concurrency = 1, ConsumerName = "test-worker-" + Environment.ProcessId });
    await worker.StartAsync();
    Console.WriteLine("READY");
    await worker.Completion; // never, unless killed: the test ends this process with SIGKILL
}

static async Task RunWorkflowWorkerAsync(string configuration, string keyPrefix, TimeSpan claimIdle, TimeSpan heartbeat, HandOverGate gate)
{
    await using var redis = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(configuration);
    await using var broker = new GatedBroker(await RedisBroker.ConnectAsync(configuration, BrokerOptions(keyPrefix, claimIdle, heartbeat)), gate);
    var actors = new ActorRegistry(
    [
        new RecordingAdd(redis.GetDatabase(), keyPrefix, gate.AfterCountAsync, gate.BeforeReturn),
        RecordingAdd.Failing(redis.GetDatabase(), keyPrefix, gate.AfterCountAsync, gate.BeforeReturn),
    ]);
    await using var worker = new TaskWorker(broker, actors, new WorkerOptions
    {
        Queues = [RecordingAdd.QueueName], Concurrency = 1, ConsumerName = "test-worker-" + Environment.ProcessId,
    });
    await worker.StartAsync();
    Console.WriteLine("READY");
    await worker.Completion; // never, unless killed
}

static async Task RunSchedulerAsync(string configuration, string keyPrefix)
{
    await using var broker = await RedisBroker.ConnectAsync(configuration, new RedisBrokerOptions { KeyPrefix = keyPrefix });
    await using var scheduler = new PeriodicScheduler(broker, options: new SchedulerOptions { RefreshInterval = TimeSpan.FromSeconds(1) });
    await scheduler.StartAsync();
    Console.WriteLine("READY");
    await Task.Delay(Timeout.Infinite); // until killed
}
