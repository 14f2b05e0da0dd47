using System;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Threading.Tasks;

namespace HangfireCompare;

/// <summary>
/// The tool's command line: the benchmark itself (the root command) and <c>worker</c>, the process the benchmark
/// launches. Option names match the other peers' tools (benchmarks/compare/README.md).
/// </summary>
internal static class CompareCommand
{
    public static RootCommand Create(Func<CompareSettings, Task<int>> bench)
    {
        // Recursive: the worker takes these too, after its command name.
        var redis = new Option<string>("--redis")
        {
            Description = "The Redis Hangfire stores its jobs in (the benchmark clears this tool's keys before each " +
                "workload)",
            HelpName = "host:port",
            DefaultValueFactory = _ => "127.0.0.1:6379",
            Recursive = true,
        };
        var n = new Option<int?>("--n")
        {
            Description = "Jobs for enqueue-single, enqueue-batch and drain (default 20000); in the worker, the jobs to " +
                "wait for (default 1)",
            CustomParser = result => AtLeast(result, 1),
            Recursive = true,
        };
        var workerCount = new Option<int>("--worker-count")
        {
            Description = "The worker process's BackgroundJobServer WorkerCount",
            DefaultValueFactory = _ => 50,
            CustomParser = result => AtLeast(result, 1),
            Recursive = true,
        };

        var workload = new Option<string>("--workload")
        {
            Description = $"The workload to run ({string.Join(", ", Workloads.Names)}), or all of them in turn",
            HelpName = "all|name",
            DefaultValueFactory = _ => "all",
        };
        workload.AcceptOnlyFromAmong(["all", .. Workloads.Names]);
        var payloadBytes = new Option<int>("--payload-bytes")
        {
            Description = "Size of each job's string argument in bytes",
            DefaultValueFactory = _ => 100,
            CustomParser = result => AtLeast(result, 0),
        };
        var rate = new Option<int>("--rate")
        {
            Description = "Jobs per second sent by the latency workload",
            DefaultValueFactory = _ => 200,
            CustomParser = result => AtLeast(result, 1),
        };
        var seconds = new Option<int>("--seconds")
        {
            Description = "How long the latency workload sends, after a one-second warm-up",
            DefaultValueFactory = _ => 10,
            CustomParser = result => AtLeast(result, 1),
        };
        var runs = new Option<int>("--runs")
        {
            Description = "Worker launches measured by cold-start (the median is reported)",
            DefaultValueFactory = _ => 5,
            CustomParser = result => AtLeast(result, 1),
        };
        var batchParallelism = new Option<int>("--batch-parallelism")
        {
            Description = "Producer threads for enqueue-batch: Hangfire has no bulk enqueue, so parallel calls stand " +
                "in for it",
            DefaultValueFactory = _ => 16,
            CustomParser = result => AtLeast(result, 1),
        };
        var timeoutSeconds = new Option<int>("--timeout-s")
        {
            Description = "Seconds to wait for the worker's next READY or DONE line before giving up",
            DefaultValueFactory = _ => 300,
            CustomParser = result => AtLeast(result, 1),
        };

        var mode = new Option<string>("--mode")
        {
            Description = "drain and cold-start: DONE after the n-th succeeded job; latency: DONE with every job's latency",
            DefaultValueFactory = _ => "drain",
        };
        mode.AcceptOnlyFromAmong("drain", "latency", "cold-start");
        var worker = new Command(
            "worker",
            "The worker process the benchmark launches: one BackgroundJobServer that reports READY and DONE on stdout.")
        {
            mode,
        };
        worker.SetAction(parseResult => WorkerMode.RunAsync(
            parseResult.GetValue(redis)!,
            parseResult.GetValue(mode)!,
            parseResult.GetValue(n) ?? 1,
            parseResult.GetValue(workerCount)));

        var root = new RootCommand(
            "Hangfire side of the peer comparison (benchmarks/compare): one JSON result line per workload on stdout, " +
            "progress on stderr.")
        {
            redis, workload, n, payloadBytes, rate, seconds, runs, workerCount, batchParallelism, timeoutSeconds, worker,
        };
        root.SetAction(parseResult => bench(new CompareSettings(
            parseResult.GetValue(redis)!,
            parseResult.GetValue(workload)!,
            parseResult.GetValue(n),
            parseResult.GetValue(payloadBytes),
            parseResult.GetValue(rate),
            parseResult.GetValue(seconds),
            parseResult.GetValue(runs),
            parseResult.GetValue(workerCount),
            parseResult.GetValue(batchParallelism),
            TimeSpan.FromSeconds(parseResult.GetValue(timeoutSeconds)))));
        return root;
    }

    // Range checks live in the parser, not in validators: validators run before the library's own conversion, so one
    // that reads the value of "--n abc" throws instead of reporting an error (dotnet/command-line-api#2645).
    private static int AtLeast(ArgumentResult result, int minimum)
    {
        string text = result.Tokens[0].Value;
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value >= minimum)
        {
            return value;
        }

        string name = result.Parent is OptionResult option ? option.Option.Name : result.Argument.Name;
        result.AddError($"{name} needs a whole number of at least {minimum}, not '{text}'.");
        return minimum;
    }
}
