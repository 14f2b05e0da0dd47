using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace TypedTasks;

/// <summary>Sends task messages and reads their outcomes. Generated stubs use <see cref="TaskClient.Default"/> or an explicit client.</summary>
public interface ITaskClient
{
    /// <summary>Stamps and sends one message through the send middleware; returns its handle.</summary>
    ValueTask<TaskHandle> SendAsync(TaskMessage message, CancellationToken cancellationToken = default);

    /// <summary>Stamps and sends a batch (one round trip where the broker allows).</summary>
    ValueTask<IReadOnlyList<TaskHandle>> SendManyAsync(IReadOnlyList<TaskMessage> messages, CancellationToken cancellationToken = default);

    /// <summary>Where outcomes are read from.</summary>
    ITaskResultStore Results { get; }
}
