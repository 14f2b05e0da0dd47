using System;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Reports.Actors;

namespace AotWorker;

/// <summary>The worker process: a generic host that runs the actors of <c>Reports.Actors</c>.</summary>
internal static class WorkerHost
{
    public static async Task<int> RunAsync(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.Services.AddScoped<IOrderHistory, FakeOrderHistory>();
        Telemetry.AddIfConfigured(builder, "aot-worker");
        // UseRedis() (package TypedTasks.Redis) reads TypedTasks:Redis; TypedTasks:Worker binds to WorkerOptions. The
        // scheduler runs next to the worker and registers the [Schedule] of Reports.Actors (TypedTasks:Scheduler).
        builder.Services.AddTypedTasks(Tasks.Registry, builder.Configuration.GetSection("TypedTasks"))
            .UseRedis()
            .AddProcessMiddleware<FirstTaskTimer>()
            .AddProcessMiddleware<ScheduledTaskLog>();

        using var host = builder.Build();
        await host.RunAsync().ConfigureAwait(false);
        // RunAsync returns normally even when the worker failed and stopped the host; the hosting integration then set
        // Environment.ExitCode, which a Main that returns a number would otherwise overwrite with 0.
        return Environment.ExitCode;
    }
}
