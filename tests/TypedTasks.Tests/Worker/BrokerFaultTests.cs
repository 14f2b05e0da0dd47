using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using TypedTasks.Tests.Support;

namespace TypedTasks.Tests.Worker;

/// <summary>
/// The worker survives a misbehaving broker. It retries its own receive loop; settling calls are made once, because
/// retrying through an outage is the broker's job (one owner per policy), and a failed one is left to the broker's
/// redelivery.
/// </summary>
public sealed class BrokerFaultTests
{
    [Fact]
    public async Task Failed_receives_are_retried_and_a_failed_ack_is_reported_once_and_left_to_the_broker()
    {
        await using var inner = new InMemoryBroker();
        var broker = new FlakyBroker(inner, failingReceives: 2, failingAcks: 1);
        var logger = new ListLogger();
        var actor = TestActor.Noop("work");
        await using var worker = new TaskWorker(broker, new ActorRegistry([actor]), logger: logger);
        await inner.CreateClient().SendAsync(TestMessages.Create("work"));

        await worker.StartAsync();
        // Polled: the log line may land after the broker's last change, so the broker's change signal cannot be waited on.
        await TypedTasks.Testing.Eventually.UntilAsync(() => logger.Entries.Any(e => e.EventId.Id == 12), "the failed ack was reported");

        Assert.Equal(1, actor.Invocations);
        Assert.Equal(2, logger.Entries.Count(e => e.EventId.Id == 10 && e.Level == LogLevel.Warning));
        var abandoned = Assert.Single(logger.Entries, e => e.EventId.Id == 12);
        Assert.Equal(LogLevel.Error, abandoned.Level);
        // Not acked, so still the broker's: a Redis broker recovers it after its claim threshold.
        Assert.Equal(1, inner.GetInFlightCount());
        Assert.Empty(inner.GetDeadLetters());
    }
}
