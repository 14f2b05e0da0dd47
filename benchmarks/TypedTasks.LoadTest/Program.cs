using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using StackExchange.Redis;
using TypedTasks.LoadTest;

// The TypedTasks side of issue 5's end-to-end comparison. One JSON line per result on stdout (schema of
// benchmarks/compare/README.md), progress and a human table on stderr. Options: LoadCommand.cs, or --help.
//
//   TypedTasks.LoadTest [--redis HOST:PORT] [--workload all|enqueue-single,drain,...] [--worker jit|aot|both]
//                       --worker-jit path/TypedTasks.LoadTest.Worker.dll --worker-aot path/TypedTasks.LoadTest.Worker
//                       [--n N] [--payload-bytes 100] [--batch-size 1000] [--rate 200] [--seconds 10] [--runs 5]
//                       [--concurrency 50] [--timeout-s 300] [--results file.jsonl]
//
// Without --redis it starts its own redis-server on a free loopback port. A --redis given here must be disposable:
// every workload starts with FLUSHALL.
return await LoadCommand.Create(RunAsync).Parse(args).InvokeAsync();

static async Task<int> RunAsync(LoadSettings settings)
{
    // Every worker build a workload will launch must exist before anything is measured.
    var workerPaths = new Dictionary<string, string>();
    if (settings.Workloads.Any(workload => workload is "drain" or "latency" or "cold-start"))
    {
        foreach (var flavour in settings.Flavours)
        {
            var path = flavour == "aot" ? settings.WorkerAotPath : settings.WorkerJitPath;
            if (path is null || !File.Exists(path))
            {
                Console.Error.WriteLine(
                    $"The {flavour} worker was not found ('{path}'): pass --worker-{flavour} (benchmarks/run-all.sh builds both), " +
                    "or --worker jit|aot to run one.");
                return 1;
            }

            workerPaths[flavour] = Path.GetFullPath(path);
        }
    }

    await using var ownRedis = settings.Redis is null ? await RedisServer.StartAsync() : null;
    var redis = settings.Redis ?? ownRedis!.Endpoint;
    await using var connection = await ConnectionMultiplexer.ConnectAsync(redis + ",allowAdmin=true");
    var workloads = new Workloads(settings, redis, connection);
    var results = new List<ResultLine>();

    foreach (var workload in settings.Workloads)
    {
        if (workload == "floor")
        {
            foreach (var line in await new RoundTripFloor(connection, settings.DefaultN("enqueue-single")).MeasureAsync())
            {
                Emit(line);
            }

            continue;
        }

        if (workload is "enqueue-single" or "enqueue-batch")
        {
            // The producer is this process, under the JIT, whichever worker build runs.
            Emit(workload == "enqueue-single"
                ? await workloads.EnqueueSingleAsync(settings.DefaultN(workload))
                : await workloads.EnqueueBatchAsync(settings.DefaultN(workload)));
            continue;
        }

        foreach (var flavour in settings.Flavours)
        {
            var path = workerPaths[flavour];
            Emit(workload switch
            {
                "drain" => await workloads.DrainAsync(flavour, path, settings.DefaultN(workload)),
                "latency" => await workloads.LatencyAsync(flavour, path),
                _ => await workloads.ColdStartAsync(flavour, path),
            });
        }
    }

    Console.Error.WriteLine();
    Console.Error.WriteLine(HumanTable.Render(results));
    return 0;

    void Emit(ResultLine result)
    {
        results.Add(result);
        var json = result.ToJson();
        Console.Out.WriteLine(json);
        Console.Out.Flush();
        if (settings.ResultsFile is { } file)
        {
            File.AppendAllText(file, json + Environment.NewLine);
        }
    }
}
