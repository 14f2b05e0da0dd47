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
        builder.Services.AddTypedTasks(ReportTasks.Registry, builder.Configuration.GetSection("TypedTasks"))
            .AddProcessMiddleware<FirstTaskTimer>();

        using var host = builder.Build();
        await host.RunAsync().ConfigureAwait(false);
        return 0;
    }
}
