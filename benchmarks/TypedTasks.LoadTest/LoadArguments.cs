using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace TypedTasks.LoadTest;

/// <summary>The load tool's command line; option names match the peers' tools (benchmarks/compare).</summary>
internal sealed class LoadArguments
{
    public static readonly string[] AllWorkloads = ["enqueue-single", "enqueue-batch", "drain", "latency", "cold-start"];

    public string? Redis { get; private set; }

    public IReadOnlyList<string> Workloads { get; private set; } = AllWorkloads;

    public int? N { get; private set; }

    public int PayloadBytes { get; private set; } = 100;

    public int BatchSize { get; private set; } = 1000;

    public int Rate { get; private set; } = 200;

    public int Seconds { get; private set; } = 10;

    public int Runs { get; private set; } = 5;

    public int Concurrency { get; private set; } = 50;

    public TimeSpan Timeout { get; private set; } = TimeSpan.FromSeconds(300);

    /// <summary>Which worker builds to run: <c>jit</c>, <c>aot</c> or both.</summary>
    public IReadOnlyList<string> Flavours { get; private set; } = ["jit", "aot"];

    public string? WorkerJitPath { get; private set; }

    public string? WorkerAotPath { get; private set; }

    public string? ResultsFile { get; private set; }

    public static LoadArguments Parse(string[] args)
    {
        var parsed = new LoadArguments();
        for (var i = 0; i < args.Length; i += 2)
        {
            var name = args[i];
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"'{name}' needs a value");
            switch (name)
            {
                case "--redis": parsed.Redis = value; break;
                case "--workload": parsed.Workloads = [.. value.Split(',').SelectMany(w => w == "all" ? AllWorkloads : [w])]; break;
                case "--n": parsed.N = Int(value); break;
                case "--payload-bytes": parsed.PayloadBytes = Int(value); break;
                case "--batch-size": parsed.BatchSize = Int(value); break;
                case "--rate": parsed.Rate = Int(value); break;
                case "--seconds": parsed.Seconds = Int(value); break;
                case "--runs": parsed.Runs = Int(value); break;
                case "--concurrency": parsed.Concurrency = Int(value); break;
                case "--timeout-s": parsed.Timeout = TimeSpan.FromSeconds(Int(value)); break;
                case "--worker": parsed.Flavours = value == "both" ? ["jit", "aot"] : value.Split(','); break;
                case "--worker-jit": parsed.WorkerJitPath = value; break;
                case "--worker-aot": parsed.WorkerAotPath = value; break;
                case "--results": parsed.ResultsFile = value; break;
                default: throw new ArgumentException($"unknown argument '{name}'");
            }
        }

        foreach (var workload in parsed.Workloads)
        {
            if (Array.IndexOf(AllWorkloads, workload) < 0 && workload != "floor")
            {
                throw new ArgumentException($"unknown workload '{workload}' (expected {string.Join(", ", AllWorkloads)}, floor or all)");
            }
        }

        foreach (var flavour in parsed.Flavours)
        {
            if (flavour is not ("jit" or "aot"))
            {
                throw new ArgumentException($"unknown worker flavour '{flavour}' (jit, aot or both)");
            }
        }

        return parsed;
    }

    public int DefaultN(string workload) => N ?? workload switch
    {
        "enqueue-single" => 20_000,
        _ => 100_000,
    };

    private static int Int(string value) => int.Parse(value, NumberStyles.Integer, CultureInfo.InvariantCulture);
}
