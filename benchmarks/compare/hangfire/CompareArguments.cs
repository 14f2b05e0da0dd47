using System;
using System.Collections.Generic;
using System.Globalization;

namespace HangfireCompare;

/// <summary>Command-line settings shared by the orchestrator and the worker mode (<c>--name value</c> pairs).</summary>
internal sealed class CompareArguments
{
    private readonly Dictionary<string, string> values = new(StringComparer.Ordinal);

    private CompareArguments()
    {
    }

    /// <summary><c>worker</c> when this process is the launched worker, otherwise <c>bench</c>.</summary>
    public string Command { get; private set; } = "bench";

    public string Redis => this.Get("redis", "127.0.0.1:6379");

    public string Workload => this.Get("workload", "all");

    /// <summary>Worker mode: drain, latency or cold-start.</summary>
    public string Mode => this.Get("mode", "drain");

    public int? N => this.values.TryGetValue("n", out string? n) ? int.Parse(n, CultureInfo.InvariantCulture) : null;

    public int PayloadBytes => this.GetInt("payload-bytes", 100);

    public int Rate => this.GetInt("rate", 200);

    public int Seconds => this.GetInt("seconds", 10);

    public int Runs => this.GetInt("runs", 5);

    public int WorkerCount => this.GetInt("worker-count", 50);

    /// <summary>Producer threads for enqueue-batch: Hangfire has no bulk enqueue, so parallel calls stand in for it.</summary>
    public int BatchParallelism => this.GetInt("batch-parallelism", 16);

    public TimeSpan Timeout => TimeSpan.FromSeconds(this.GetInt("timeout-s", 300));

    public static CompareArguments Parse(string[] args)
    {
        var parsed = new CompareArguments();
        int start = 0;
        if (args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal))
        {
            parsed.Command = args[0];
            start = 1;
        }

        for (int k = start; k < args.Length; k += 2)
        {
            if (!args[k].StartsWith("--", StringComparison.Ordinal) || k + 1 >= args.Length)
            {
                throw new ArgumentException($"Expected '--name value' pairs, got '{args[k]}'.");
            }

            parsed.values[args[k][2..]] = args[k + 1];
        }

        return parsed;
    }

    private string Get(string name, string fallback) => this.values.TryGetValue(name, out string? value) ? value : fallback;

    private int GetInt(string name, int fallback) =>
        this.values.TryGetValue(name, out string? value) ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;
}
