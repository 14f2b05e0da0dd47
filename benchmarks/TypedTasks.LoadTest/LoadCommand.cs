using System;
using System.Collections.Generic;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Threading.Tasks;

namespace TypedTasks.LoadTest;

/// <summary>The load tool's command line; option names match the peers' tools (benchmarks/compare).</summary>
internal static class LoadCommand
{
    private static readonly string[] s_flavours = ["jit", "aot"];

    public static RootCommand Create(Func<LoadSettings, Task<int>> run)
    {
        var redis = new Option<string?>("--redis")
        {
            Description = "A disposable Redis (every workload starts with FLUSHALL); without it the tool starts its own " +
                "redis-server on a free loopback port",
            HelpName = "host:port",
        };
        var workloads = new Option<string[]>("--workload")
        {
            Description = $"Comma-separated workloads: {string.Join(", ", LoadSettings.AllWorkloads)}, floor (the " +
                "StackExchange.Redis-only round trip), or all (the five, not floor)",
            HelpName = "name,...",
            DefaultValueFactory = _ => LoadSettings.AllWorkloads,
            CustomParser = ParseWorkloads,
        };
        var flavours = new Option<string[]>("--worker")
        {
            Description = "Which worker builds run drain, latency and cold-start: jit, aot or both",
            HelpName = "jit|aot|both",
            DefaultValueFactory = _ => s_flavours,
            CustomParser = ParseFlavours,
        };
        var workerJit = new Option<string?>("--worker-jit")
        {
            Description = "TypedTasks.LoadTest.Worker.dll, run with 'dotnet' (needed when --worker includes jit)",
            HelpName = "path",
        };
        var workerAot = new Option<string?>("--worker-aot")
        {
            Description = "The NativeAOT TypedTasks.LoadTest.Worker binary (needed when --worker includes aot)",
            HelpName = "path",
        };
        var n = new Option<int?>("--n")
        {
            Description = "Tasks for enqueue-single, enqueue-batch, drain and floor (default 20000 for enqueue-single and floor, " +
                "100000 otherwise)",
            CustomParser = result => AtLeast(result, 1),
        };
        var payloadBytes = new Option<int>("--payload-bytes")
        {
            Description = "Size of each task's string payload in bytes",
            DefaultValueFactory = _ => 100,
            CustomParser = result => AtLeast(result, 0),
        };
        var batchSize = new Option<int>("--batch-size")
        {
            Description = "Tasks per SendManyAsync call (enqueue-batch, and the prefill of drain)",
            DefaultValueFactory = _ => 1000,
            CustomParser = result => AtLeast(result, 1),
        };
        var rate = new Option<int>("--rate")
        {
            Description = "Tasks per second sent by the latency workload",
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
        var concurrency = new Option<int>("--concurrency")
        {
            Description = "The worker's concurrency",
            DefaultValueFactory = _ => 50,
            CustomParser = result => AtLeast(result, 1),
        };
        var timeoutSeconds = new Option<int>("--timeout-s")
        {
            Description = "Seconds to wait for the worker's next READY or DONE line before giving up",
            DefaultValueFactory = _ => 300,
            CustomParser = result => AtLeast(result, 1),
        };
        var results = new Option<string?>("--results")
        {
            Description = "Also append every result line to this file",
            HelpName = "file.jsonl",
        };

        var root = new RootCommand(
            "The TypedTasks side of the peer comparison (benchmarks/compare): one JSON result line per workload on " +
            "stdout, progress and a table on stderr. benchmarks/run-all.sh builds the workers and runs everything.")
        {
            redis, workloads, flavours, workerJit, workerAot, n, payloadBytes, batchSize, rate, seconds, runs,
            concurrency, timeoutSeconds, results,
        };
        root.SetAction(parseResult => run(new LoadSettings(
            parseResult.GetValue(redis),
            parseResult.GetValue(workloads)!,
            parseResult.GetValue(n),
            parseResult.GetValue(payloadBytes),
            parseResult.GetValue(batchSize),
            parseResult.GetValue(rate),
            parseResult.GetValue(seconds),
            parseResult.GetValue(runs),
            parseResult.GetValue(concurrency),
            TimeSpan.FromSeconds(parseResult.GetValue(timeoutSeconds)),
            parseResult.GetValue(flavours)!,
            parseResult.GetValue(workerJit),
            parseResult.GetValue(workerAot),
            parseResult.GetValue(results))));
        return root;
    }

    // Range checks live in the parsers, not in validators: validators run before the library's own conversion, so one
    // that reads the value of "--n abc" throws instead of reporting an error (dotnet/command-line-api#2645).
    private static int AtLeast(ArgumentResult result, int minimum)
    {
        var text = result.Tokens[0].Value;
        if (int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= minimum)
        {
            return value;
        }

        result.AddError($"{OptionName(result)} needs a whole number of at least {minimum}, not '{text}'.");
        return minimum;
    }

    private static string[] ParseWorkloads(ArgumentResult result)
    {
        var names = new List<string>();
        foreach (var name in SplitTokens(result))
        {
            if (name == "all")
            {
                names.AddRange(LoadSettings.AllWorkloads);
            }
            else if (Array.IndexOf(LoadSettings.AllWorkloads, name) >= 0 || name == "floor")
            {
                names.Add(name);
            }
            else
            {
                result.AddError($"Unknown workload '{name}' (expected {string.Join(", ", LoadSettings.AllWorkloads)}, floor or all).");
            }
        }

        return [.. names];
    }

    private static string[] ParseFlavours(ArgumentResult result)
    {
        var names = new List<string>();
        foreach (var name in SplitTokens(result))
        {
            if (name == "both")
            {
                names.AddRange(s_flavours);
            }
            else if (name is "jit" or "aot")
            {
                names.Add(name);
            }
            else
            {
                result.AddError($"Unknown worker flavour '{name}' (jit, aot or both).");
            }
        }

        return [.. names];
    }

    // "--workload drain,latency" and "--workload drain --workload latency" mean the same.
    private static IEnumerable<string> SplitTokens(ArgumentResult result)
    {
        foreach (var token in result.Tokens)
        {
            foreach (var name in token.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                yield return name;
            }
        }
    }

    private static string OptionName(ArgumentResult result) =>
        result.Parent is OptionResult option ? option.Option.Name : result.Argument.Name;
}
