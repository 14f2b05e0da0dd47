using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;
using TypedTasks;

namespace TypedTasks.Hosting;

/// <summary>
/// Installs the host's client as <see cref="TaskClient.Default"/> at start-up, so generated static stubs
/// (<c>Tasks.X.SendAsync(...)</c>) work inside the host with no extra wiring.
/// </summary>
internal sealed class AmbientClientService(ITaskClient client) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        TaskClient.Default = client;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
