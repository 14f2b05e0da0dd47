using System;

namespace HangfireCompare;

/// <summary>What one run of the benchmark measures and how, from the command line (<see cref="CompareCommand"/>).</summary>
/// <param name="Redis">The Redis Hangfire stores its jobs in.</param>
/// <param name="Workload"><c>all</c> or one of <see cref="Workloads.Names"/>.</param>
/// <param name="N">Jobs for enqueue-single, enqueue-batch and drain; each has its own default when null.</param>
/// <param name="PayloadBytes">Size of each job's string argument.</param>
/// <param name="Rate">Jobs per second sent by the latency workload.</param>
/// <param name="Seconds">How long the latency workload sends.</param>
/// <param name="Runs">Worker launches measured by cold-start.</param>
/// <param name="WorkerCount">The worker process's <c>BackgroundJobServerOptions.WorkerCount</c>.</param>
/// <param name="BatchParallelism">Producer threads for enqueue-batch: Hangfire has no bulk enqueue, so parallel calls
/// stand in for it.</param>
/// <param name="Timeout">How long to wait for the worker's next READY or DONE line.</param>
internal sealed record CompareSettings(
    string Redis,
    string Workload,
    int? N,
    int PayloadBytes,
    int Rate,
    int Seconds,
    int Runs,
    int WorkerCount,
    int BatchParallelism,
    TimeSpan Timeout);
