using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;
using TypedTasks;

namespace TypedTasks.Hosting;

/// <summary>
/// Installs the host's client as <see cref="TaskClient.Default"/> at start-up, so generated static stubs
/// (<c>Tasks.X.SendAsync(...)</c>) work inside the host with no extra wiring.
/// </summary>
/// <remarks>
/// On stop the previous default comes back, unless something else replaced ours meanwhile: a test process that
/// starts host after host must not keep sending through a stopped host's broker.
/// </remarks>
internal sealed class AmbientClientService(ITaskClient client) : IHostedService
{
    private ITaskClient? _previous;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _previous = TaskClient.HasDefault ? TaskClient.Default : null;
        TaskClient.Default = client;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        if (TaskClient.HasDefault && ReferenceEquals(TaskClient.Default, client) && _previous is not null)
        {
            TaskClient.Default = _previous;
        }

        return Task.CompletedTask;
    }
}
