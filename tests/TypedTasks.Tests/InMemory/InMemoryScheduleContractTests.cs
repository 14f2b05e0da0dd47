using System.Threading.Tasks;
using TypedTasks.Testing;

namespace TypedTasks.Tests.InMemory;

/// <summary>The schedule contract on the in-memory broker: the "several instances" are one broker, as in one process.</summary>
public sealed class InMemoryScheduleContractTests : ScheduleContract
{
    protected override Task<ITaskBroker[]> CreateBrokersAsync(int count)
    {
        var broker = new InMemoryBroker();
        var brokers = new ITaskBroker[count];
        for (var i = 0; i < count; i++)
        {
            brokers[i] = broker;
        }

        return Task.FromResult(brokers);
    }
}
