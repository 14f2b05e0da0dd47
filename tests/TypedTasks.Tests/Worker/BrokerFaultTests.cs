using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using TypedTasks.Tests.Support;

namespace TypedTasks.Tests.Worker;

/// <summary>The worker survives a misbehaving broker: failures are logged and retried with a short backoff.</summary>
public sealed class BrokerFaultTests
{
    [Fact]
    public async Task Failed_receives_and_acks_are_logged_and_retried_until_the_message_is_settled_once()
    {
        await using var inner = new InMemoryBroker();
        var broker = new FlakyBroker(inner, failingReceives: 2, failingAcks: 1);
        var logger = new ListLogger();
        var actor = TestActor.Noop("work");
        await using var worker = new TaskWorker(broker, new ActorRegistry([actor]), logger: logger);
        await inner.CreateClient().SendAsync(TestMessages.Create("work"));

        await worker.StartAsync();
        await inner.WaitUntilAsync(b => b.GetQueueLength(TaskMessage.DefaultQueue) == 0 && b.GetInFlightCount() == 0, "the message was acked");

        Assert.Equal(1, actor.Invocations);
        Assert.Equal(2, logger.Entries.Count(e => e.EventId.Id == 10 && e.Level == LogLevel.Warning));
        Assert.Equal(1, logger.Entries.Count(e => e.EventId.Id == 11 && e.Level == LogLevel.Warning));
        Assert.Empty(inner.GetDeadLetters());
    }
}
