using System;
using System.Collections.Generic;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Threading.Tasks;
using StackExchange.Redis;
using TypedTasks.Redis;

namespace TypedTasks.LoadTest;

/// <summary>
/// The five workloads of benchmarks/compare/README.md, on the generated <c>Tasks.NoOpActors.NoOp</c> stub with default settings
/// (the worker acknowledges after completion, deletes entries and retries failures).
/// </summary>
internal sealed class Workloads(LoadSettings args, string redis, IConnectionMultiplexer connection)
{
    private const int WarmupSends = 200;

    private readonly string _padding = new('x', args.PayloadBytes);
    private readonly ITaskClient _client = new TaskClient(new RedisBroker(connection));

    private static string Settings =>
        "worker defaults: ack after completion, entry deleted on ack, retries on (20, backoff 15 s to 7 d); payload ";

    public async Task<ResultLine> EnqueueSingleAsync(int n)
    {
        await ResetAsync();
        for (var i = 0; i < WarmupSends; i++)
        {
            await Tasks.NoOpActors.NoOp.SendAsync(_client, -1 - i, _padding);
        }

        Log($"enqueue-single: {n} awaited Tasks.NoOpActors.NoOp.SendAsync calls");
        var started = Monotonic.NowNs();
        for (var i = 0; i < n; i++)
        {
            await Tasks.NoOpActors.NoOp.SendAsync(_client, i, _padding);
        }

        var elapsed = Monotonic.NowNs() - started;
        return new ResultLine("enqueue-single", n, Config("jit", $"one producer, one awaited Tasks.NoOpActors.NoOp.SendAsync at a time, {WarmupSends} warm-up sends not timed; {Settings}{args.PayloadBytes} B"))
        {
            TasksPerSecond = Statistics.PerSecond(n, elapsed),
        };
    }

    public async Task<ResultLine> EnqueueBatchAsync(int n)
    {
        await ResetAsync();
        await PrefillAsync(Math.Min(WarmupSends, n));
        Log($"enqueue-batch: {n} tasks through ITaskClient.SendManyAsync in chunks of {args.BatchSize}");
        var elapsed = await PrefillAsync(n);
        return new ResultLine("enqueue-batch", n, Config("jit", $"one producer, awaited SendManyAsync chunks of {args.BatchSize} Tasks.NoOpActors.NoOp.Message(...); {Settings}{args.PayloadBytes} B"))
        {
            TasksPerSecond = Statistics.PerSecond(n, elapsed),
        };
    }

    public async Task<ResultLine> DrainAsync(string flavour, string workerPath, int n)
    {
        await ResetAsync();
        Log($"drain ({flavour}): pre-filling {n} tasks");
        var prefill = await PrefillAsync(n);
        Log($"drain ({flavour}): pre-filled at {Statistics.PerSecond(n, prefill)}/s; launching the worker");
        await using var worker = Launch(flavour, workerPath, "drain", n);
        using var done = JsonDocument.Parse(await worker.WaitForAsync("DONE"));
        var rss = worker.PeakRssMb();
        var doneNs = NsField(done, "done_ns");
        var total = doneNs - worker.LaunchedNs;
        var steady = n > 1 ? Statistics.PerSecond(n - 1, doneNs - NsField(done, "first_done_ns")) : 0;
        Log($"drain ({flavour}): {n} in {total / 1e6:F0} ms; steady after first task {steady}/s; VmHWM {rss} MiB");
        return new ResultLine("drain", n, Config(flavour, $"one worker process ({WorkerProcess.Describe(flavour)}), concurrency {args.Concurrency}; timed from process launch to the n-th acknowledged task; steady {steady}/s after first task; rss = VmHWM MiB; {Settings}{args.PayloadBytes} B"))
        {
            TasksPerSecond = Statistics.PerSecond(n, total),
            RssMb = rss,
        };
    }

    public async Task<ResultLine> LatencyAsync(string flavour, string workerPath)
    {
        await ResetAsync();
        var count = args.Rate * args.Seconds;
        await using var worker = Launch(flavour, workerPath, "latency", count);
        await worker.WaitForAsync("READY");
        var warmup = args.Rate;
        Log($"latency ({flavour}): warm-up {warmup} tasks, then {count} tasks at {args.Rate}/s");
        await SendAtRateAsync(warmup, -warmup);
        await SendAtRateAsync(count, 0);
        using var done = JsonDocument.Parse(await worker.WaitForAsync("DONE"));
        var latencies = new List<double>(count);
        foreach (var value in done.RootElement.GetProperty("latencies_ms").EnumerateArray())
        {
            latencies.Add(value.GetDouble());
        }

        latencies.Sort();
        return new ResultLine("latency", latencies.Count, Config(flavour, $"idle worker ({WorkerProcess.Describe(flavour)}), concurrency {args.Concurrency}; {args.Rate}/s for {args.Seconds} s after {warmup} warm-up tasks; enqueue stamp (CLOCK_MONOTONIC) taken just before Tasks.NoOpActors.NoOp.SendAsync, compared at the actor's first line; {Settings}{args.PayloadBytes} B"))
        {
            P50Ms = Math.Round(Statistics.Percentile(latencies, 0.5), 3),
            P99Ms = Math.Round(Statistics.Percentile(latencies, 0.99), 3),
            MaxMs = Math.Round(latencies[^1], 3),
        };
    }

    public async Task<ResultLine> ColdStartAsync(string flavour, string workerPath)
    {
        await ResetAsync();
        var samples = new List<double>(args.Runs);
        for (var run = 0; run < args.Runs; run++)
        {
            await Tasks.NoOpActors.NoOp.SendAsync(_client, 0, _padding);
            await using var worker = Launch(flavour, workerPath, "cold-start", 1);
            using var done = JsonDocument.Parse(await worker.WaitForAsync("DONE"));
            var ms = (NsField(done, "done_ns") - worker.LaunchedNs) / 1e6;
            samples.Add(ms);
            Log($"cold-start ({flavour}): run {run + 1}/{args.Runs}: {ms:F1} ms");
        }

        var sorted = new List<double>(samples);
        sorted.Sort();
        return new ResultLine("cold-start", args.Runs, Config(flavour, $"median of {args.Runs}: launch of {WorkerProcess.Describe(flavour)} to the first acknowledged task, one task already queued; samples ms {string.Join('/', samples.ConvertAll(s => Math.Round(s, 1).ToString(CultureInfo.InvariantCulture)))}"))
        {
            ColdStartMs = Math.Round(Statistics.Median(sorted), 1),
        };
    }

    private static string Config(string flavour, string details) =>
        $"{flavour}; typedtasks {typeof(TaskWorker).Assembly.GetName().Version?.ToString(3)}, .NET {Environment.Version}, StackExchange.Redis {InformationalVersion(typeof(IConnectionMultiplexer))}; {details}";

    private static string? InformationalVersion(Type type)
    {
        var version = type.Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        return version?.Split('+')[0];
    }

    private static long NsField(JsonDocument document, string name) =>
        long.Parse(document.RootElement.GetProperty(name).GetString()!, CultureInfo.InvariantCulture);

    private static void Log(string message) => Console.Error.WriteLine("[typedtasks] " + message);

    private WorkerProcess Launch(string flavour, string workerPath, string mode, int expected) =>
        WorkerProcess.Launch(flavour, workerPath, redis, mode, expected, args.Concurrency, args.Timeout);

    /// <summary>Each workload starts from an empty Redis, as the peers' do.</summary>
    private async Task ResetAsync()
    {
        foreach (var endpoint in connection.GetEndPoints())
        {
            await connection.GetServer(endpoint).FlushAllDatabasesAsync();
        }
    }

    private async Task<long> PrefillAsync(int n)
    {
        var started = Monotonic.NowNs();
        var chunk = new TaskRequest[args.BatchSize];
        for (var from = 0; from < n; from += args.BatchSize)
        {
            var count = Math.Min(args.BatchSize, n - from);
            if (count != chunk.Length)
            {
                chunk = new TaskRequest[count];
            }

            for (var k = 0; k < count; k++)
            {
                chunk[k] = Tasks.NoOpActors.NoOp.Message(from + k, _padding);
            }

            await _client.SendManyAsync(chunk);
        }

        return Monotonic.NowNs() - started;
    }

    /// <summary>Sends on a fixed schedule, so one slow send does not shift every later one; sends are not awaited one
    /// by one (as the peers' producers), only all together at the end.</summary>
    private async Task SendAtRateAsync(int count, int firstIndex)
    {
        var intervalNs = 1_000_000_000L / args.Rate;
        var started = Monotonic.NowNs();
        var pending = new List<Task>(count);
        for (var k = 0; k < count; k++)
        {
            var aheadNs = started + (k * intervalNs) - Monotonic.NowNs();
            if (aheadNs > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(aheadNs / 1e6)));
            }

            pending.Add(Tasks.NoOpActors.NoOp.SendAsync(_client, firstIndex + k, Stamped()).AsTask());
        }

        await Task.WhenAll(pending);
    }

    private string Stamped()
    {
        var stamp = Monotonic.NowNs().ToString(CultureInfo.InvariantCulture) + "|";
        return stamp.Length >= _padding.Length ? stamp : stamp + _padding[stamp.Length..];
    }
}
