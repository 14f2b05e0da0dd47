using System;
using System.Collections.Generic;

namespace TypedTasks.LoadTest;

/// <summary>What one run of the load tool measures and how, from the command line (<see cref="LoadCommand"/>).</summary>
internal sealed record LoadSettings(
    string? Redis,
    IReadOnlyList<string> Workloads,
    int? N,
    int PayloadBytes,
    int BatchSize,
    int Rate,
    int Seconds,
    int Runs,
    int Concurrency,
    TimeSpan Timeout,
    IReadOnlyList<string> Flavours,
    string? WorkerJitPath,
    string? WorkerAotPath,
    string? ResultsFile)
{
    /// <summary>The workloads of benchmarks/compare/README.md, in the order <c>--workload all</c> runs them.</summary>
    public static readonly string[] AllWorkloads = ["enqueue-single", "enqueue-batch", "drain", "latency", "cold-start"];

    public int DefaultN(string workload) => N ?? workload switch
    {
        "enqueue-single" => 20_000,
        _ => 100_000,
    };
}
