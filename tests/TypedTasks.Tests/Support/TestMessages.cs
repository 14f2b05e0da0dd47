using System.Collections.Generic;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using TypedTasks.Generated;

namespace TypedTasks.Tests.Support;

internal static class TestMessages
{
    public static TaskRequest Create(string actor, string json = "{}", string queue = TaskMessage.DefaultQueue, SendOptions? options = null) =>
        TaskMessages.Create(actor, queue, Encoding.UTF8.GetBytes(json), options);

    /// <summary>Sends straight to the broker, as a client on the broker's clock would resolve the request.</summary>
    public static ValueTask<string?> SendAsync(this InMemoryBroker broker, TaskRequest request, CancellationToken cancellationToken = default) =>
        broker.SendAsync(request.ToMessage(broker.TimeProvider.GetUtcNow()), cancellationToken);

    /// <inheritdoc cref="SendAsync(InMemoryBroker, TaskRequest, CancellationToken)"/>
    public static ValueTask<IReadOnlyList<string?>?> SendManyAsync(this InMemoryBroker broker, IReadOnlyList<TaskRequest> requests, CancellationToken cancellationToken = default)
    {
        var now = broker.TimeProvider.GetUtcNow();
        var messages = new TaskMessage[requests.Count];
        for (var i = 0; i < messages.Length; i++)
        {
            messages[i] = requests[i].ToMessage(now);
        }

        return broker.SendManyAsync(messages, cancellationToken);
    }
}
