using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Hangfire;

namespace HangfireCompare;

/// <summary>The four comparison workloads (enqueue single/batch, drain, latency, cold start) against Hangfire.</summary>
internal sealed class Workloads
{
    private const int WarmupEnqueues = 200;
    private const string JobConfig = "Hangfire defaults (AutomaticRetry 10 attempts, succeeded jobs expire after 1 day)";

    private readonly CompareSettings args;
    private readonly string padding;

    public Workloads(CompareSettings args)
    {
        this.args = args;
        this.padding = new string('x', args.PayloadBytes);
    }

    public static IReadOnlyList<string> Names { get; } = ["enqueue-single", "enqueue-batch", "drain", "latency", "cold-start"];

    public async Task<ResultLine> RunAsync(string workload)
    {
        await HangfireSetup.ClearAsync(this.args.Redis).ConfigureAwait(false);
        return workload switch
        {
            "enqueue-single" => this.EnqueueSingle(this.args.N ?? 20_000),
            "enqueue-batch" => this.EnqueueBatch(this.args.N ?? 20_000),
            "drain" => await this.DrainAsync(this.args.N ?? 20_000).ConfigureAwait(false),
            "latency" => await this.LatencyAsync().ConfigureAwait(false),
            "cold-start" => await this.ColdStartAsync().ConfigureAwait(false),
            _ => throw new ArgumentException($"Unknown workload '{workload}' (expected {string.Join(", ", Names)} or all)."),
        };
    }

    private static void Log(string message) => Console.Error.WriteLine("[hangfire] " + message);

    private static double Round(double value, int digits) => Math.Round(value, digits, MidpointRounding.AwayFromZero);

    private void Enqueue(int i) => BackgroundJob.Enqueue(() => NoOpTask.Run(i, this.padding));

    private ResultLine EnqueueSingle(int n)
    {
        for (int i = 0; i < WarmupEnqueues; i++)
        {
            this.Enqueue(-1 - i);
        }

        Log($"enqueue-single: {n} BackgroundJob.Enqueue calls, one at a time");
        long started = Stopwatch.GetTimestamp();
        for (int i = 0; i < n; i++)
        {
            this.Enqueue(i);
        }

        TimeSpan elapsed = Stopwatch.GetElapsedTime(started);
        return new ResultLine(
            "enqueue-single",
            n,
            $"one producer thread, one synchronous BackgroundJob.Enqueue at a time, {WarmupEnqueues} warm-up enqueues not timed; {JobConfig}; payload {this.args.PayloadBytes} B")
        {
            TasksPerSecond = Statistics.PerSecond(n, elapsed),
        };
    }

    private ResultLine EnqueueBatch(int n)
    {
        this.EnqueueInParallel(0, WarmupEnqueues);
        Log($"enqueue-batch: {n} BackgroundJob.Enqueue calls from {this.args.BatchParallelism} threads (no bulk API)");
        TimeSpan elapsed = this.EnqueueInParallel(0, n);
        return new ResultLine(
            "enqueue-batch",
            n,
            $"Hangfire has no bulk enqueue (Batches are Hangfire Pro): BackgroundJob.Enqueue from {this.args.BatchParallelism} dedicated threads; {JobConfig}; payload {this.args.PayloadBytes} B")
        {
            TasksPerSecond = Statistics.PerSecond(n, elapsed),
        };
    }

    // Dedicated threads rather than Parallel.For: Hangfire's client is synchronous, and blocking thread-pool threads
    // would make the figure depend on the pool's slow thread injection instead of on Hangfire and Redis.
    private TimeSpan EnqueueInParallel(int first, int count)
    {
        int next = first - 1;
        int end = first + count;
        var producers = new Thread[this.args.BatchParallelism];
        long started = Stopwatch.GetTimestamp();
        for (int t = 0; t < producers.Length; t++)
        {
            producers[t] = new Thread(() =>
            {
                for (int i = Interlocked.Increment(ref next); i < end; i = Interlocked.Increment(ref next))
                {
                    this.Enqueue(i);
                }
            });
            producers[t].Start();
        }

        foreach (Thread producer in producers)
        {
            producer.Join();
        }

        return Stopwatch.GetElapsedTime(started);
    }

    private async Task<ResultLine> DrainAsync(int n)
    {
        Log($"drain: pre-filling {n} jobs");
        TimeSpan prefill = this.EnqueueInParallel(0, n);
        Log($"drain: pre-filled at {Statistics.PerSecond(n, prefill)}/s; launching the worker");
        await using WorkerProcess worker = WorkerProcess.Launch(this.args, "drain", n);
        using JsonDocument done = JsonDocument.Parse(await worker.WaitForAsync("DONE").ConfigureAwait(false));
        double rssMb = worker.PeakRssMb();
        long doneAt = done.RootElement.GetProperty("done_at").GetInt64();
        long firstDoneAt = done.RootElement.GetProperty("first_done_at").GetInt64();
        TimeSpan total = Stopwatch.GetElapsedTime(worker.LaunchedAt, doneAt);
        double steady = n > 1 ? Statistics.PerSecond(n - 1, Stopwatch.GetElapsedTime(firstDoneAt, doneAt)) : double.NaN;
        Log($"drain: {n} in {total.TotalMilliseconds:F0} ms; steady after first job {steady}/s; VmHWM {rssMb} MiB");
        return new ResultLine(
            "drain",
            n,
            $"one BackgroundJobServer process, WorkerCount {this.args.WorkerCount}; timed from process launch to the n-th Succeeded state; steady {steady}/s after first job; rss = VmHWM MiB; {JobConfig}")
        {
            TasksPerSecond = Statistics.PerSecond(n, total),
            RssMb = rssMb,
        };
    }

    private async Task<ResultLine> LatencyAsync()
    {
        int rate = this.args.Rate;
        int count = rate * this.args.Seconds;
        await using WorkerProcess worker = WorkerProcess.Launch(this.args, "latency", count);
        await worker.WaitForAsync("READY").ConfigureAwait(false);
        int warmup = rate; // one second at the same rate, excluded from the figures
        Log($"latency: warm-up {warmup} jobs, then {count} jobs at {rate}/s");
        await this.SendAtRateAsync(warmup, rate, -warmup).ConfigureAwait(false);
        await this.SendAtRateAsync(count, rate, 0).ConfigureAwait(false);
        using JsonDocument done = JsonDocument.Parse(await worker.WaitForAsync("DONE").ConfigureAwait(false));
        double[] sorted = done.RootElement.GetProperty("latencies_ms").EnumerateArray().Select(l => l.GetDouble()).Order().ToArray();
        return new ResultLine(
            "latency",
            sorted.Length,
            $"idle worker, WorkerCount {this.args.WorkerCount}; {rate}/s for {this.args.Seconds} s after {warmup} warm-up jobs; enqueue stamp (CLOCK_MONOTONIC) taken just before BackgroundJob.Enqueue, compared at method start; {JobConfig}")
        {
            P50Ms = Round(Statistics.Percentile(sorted, 0.5), 3),
            P99Ms = Round(Statistics.Percentile(sorted, 0.99), 3),
            MaxMs = Round(sorted[^1], 3),
        };
    }

    // A fixed schedule, so one slow enqueue does not shift every later send.
    private async Task SendAtRateAsync(int count, int rate, int firstIndex)
    {
        long interval = Stopwatch.Frequency / rate;
        long started = Stopwatch.GetTimestamp();
        for (int k = 0; k < count; k++)
        {
            TimeSpan ahead = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), started + (k * interval));
            if (ahead > TimeSpan.Zero)
            {
                await Task.Delay(ahead).ConfigureAwait(false);
            }

            int i = firstIndex + k;
            string payload = NoOpTask.StampedPayload(this.padding);
            BackgroundJob.Enqueue(() => NoOpTask.Run(i, payload));
        }
    }

    private async Task<ResultLine> ColdStartAsync()
    {
        int runs = this.args.Runs;
        var samples = new List<double>();
        for (int run = 0; run < runs; run++)
        {
            this.Enqueue(0);
            await using WorkerProcess worker = WorkerProcess.Launch(this.args, "cold-start", 1);
            using JsonDocument done = JsonDocument.Parse(await worker.WaitForAsync("DONE").ConfigureAwait(false));
            double ms = Stopwatch.GetElapsedTime(worker.LaunchedAt, done.RootElement.GetProperty("done_at").GetInt64()).TotalMilliseconds;
            samples.Add(ms);
            Log($"cold-start: run {run + 1}/{runs}: {ms:F1} ms");
        }

        string sampleList = string.Join('/', samples.Select(s => Round(s, 1).ToString(CultureInfo.InvariantCulture)));
        return new ResultLine(
            "cold-start",
            runs,
            $"median of {runs}: launch of the worker apphost to the first Succeeded state, one job already queued; samples ms {sampleList}")
        {
            ColdStartMs = Round(Statistics.Median(samples.Order().ToArray()), 1),
        };
    }
}
