using System;
using System.Reflection;
using System.Threading.Tasks;
using Hangfire;
using Hangfire.Redis.StackExchange;
using HangfireCompare;

// Hangfire side of the peer comparison: `HangfireCompare [--workload all|NAME] [--redis HOST:PORT] [--n N] ...`
// prints one JSON line per workload on stdout; `HangfireCompare worker ...` is the launched worker process.
// Options: CompareCommand.cs, or --help.
return await CompareCommand.Create(BenchAsync).Parse(args).InvokeAsync().ConfigureAwait(false);

static async Task<int> BenchAsync(CompareSettings settings)
{
    HangfireSetup.UseRedis(settings.Redis);
    string systemConfig = $"Hangfire.Core {VersionOf(typeof(BackgroundJob))}, Hangfire.Redis.StackExchange {VersionOf(typeof(RedisStorage))}, .NET {Environment.Version}";
    var workloads = new Workloads(settings);
    foreach (string workload in settings.Workload == "all" ? Workloads.Names : [settings.Workload])
    {
        ResultLine result = await workloads.RunAsync(workload).ConfigureAwait(false);
        Console.Out.WriteLine(result.ToJson(systemConfig));
    }

    return 0;
}

static string VersionOf(Type type) =>
    type.Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
    ?? type.Assembly.GetName().Version?.ToString() ?? "?";
