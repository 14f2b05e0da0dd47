using System;
using System.Reflection;
using System.Threading.Tasks;
using Hangfire;
using Hangfire.Redis.StackExchange;
using HangfireCompare;

// Hangfire side of the peer comparison: `HangfireCompare [--workload all|NAME] [--redis HOST:PORT] [--n N] ...`
// prints one JSON line per workload on stdout; `HangfireCompare worker ...` is the launched worker process.
CompareArguments settings = CompareArguments.Parse(args);
if (settings.Command == "worker")
{
    return await WorkerMode.RunAsync(settings).ConfigureAwait(false);
}

HangfireSetup.UseRedis(settings.Redis);
string systemConfig = $"Hangfire.Core {VersionOf(typeof(BackgroundJob))}, Hangfire.Redis.StackExchange {VersionOf(typeof(RedisStorage))}, .NET {Environment.Version}";
var workloads = new Workloads(settings);
foreach (string workload in settings.Workload == "all" ? Workloads.Names : [settings.Workload])
{
    ResultLine result = await workloads.RunAsync(workload).ConfigureAwait(false);
    Console.Out.WriteLine(result.ToJson(systemConfig));
}

return 0;

static string VersionOf(Type type) =>
    type.Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
    ?? type.Assembly.GetName().Version?.ToString() ?? "?";
