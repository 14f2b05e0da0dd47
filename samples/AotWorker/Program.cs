using System;
using System.Threading.Tasks;
using AotWorker;

// AotWorker                  runs the worker until SIGTERM / Ctrl+C
// AotWorker enqueue N        sends N additions and a few reports from this process, waits for every result, checks them
// AotWorker probe            sends one addition and prints its task id (used to time start-up)
// AotWorker dead-letters Q   lists the dead letters of queue Q
// Redis comes from configuration: appsettings.json, or the environment variable TypedTasks__Redis.
var command = args.Length > 0 && !args[0].StartsWith('-') ? args[0] : "run";
var rest = args.Length > 0 && command == args[0] ? args[1..] : args;
return command switch
{
    "run" => await WorkerHost.RunAsync(rest),
    "enqueue" => await Producer.EnqueueAndCheckAsync(rest),
    "probe" => await Producer.ProbeAsync(rest),
    "dead-letters" => await Producer.ListDeadLettersAsync(rest),
    _ => Usage(command),
};

static int Usage(string command)
{
    Console.Error.WriteLine($"Unknown command '{command}'. Commands: run (default), enqueue N, probe, dead-letters QUEUE.");
    return 2;
}
