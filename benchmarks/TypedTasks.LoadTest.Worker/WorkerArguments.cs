using System;
using System.Globalization;

namespace TypedTasks.LoadTest;

/// <summary>The worker process's command line.</summary>
internal sealed record WorkerArguments(string Redis, string Mode, int N, int Concurrency)
{
    public static WorkerArguments Parse(string[] args)
    {
        string redis = "127.0.0.1:6379", mode = "drain";
        int n = 1, concurrency = 50;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"'{args[i]}' needs a value");
            switch (args[i])
            {
                case "--redis": redis = value; break;
                case "--mode": mode = value; break;
                case "--n": n = int.Parse(value, CultureInfo.InvariantCulture); break;
                case "--concurrency": concurrency = int.Parse(value, CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"unknown argument '{args[i]}'");
            }

            i++;
        }

        if (mode is not ("drain" or "latency" or "cold-start"))
        {
            throw new ArgumentException($"unknown mode '{mode}' (drain, latency or cold-start)");
        }

        return new WorkerArguments(redis, mode, n, concurrency);
    }
}
