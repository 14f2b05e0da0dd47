using System;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;
using TypedTasks.Testing;

namespace TypedTasks.Tests.InMemory;

/// <summary>The workflow store contract on the in-memory broker, its clock a <see cref="FakeTimeProvider"/> the cases
/// advance.</summary>
public sealed class InMemoryWorkflowStoreContractTests : WorkflowStoreContract
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    protected override ITaskBroker CreateBroker() => new InMemoryBroker(_time);

    /// <summary>The in-memory broker has no connections: every worker of a process shares it.</summary>
    protected override Task<ITaskBroker> CreatePeerAsync(ITaskBroker broker) => Task.FromResult(broker);

    protected override Task LetTimePassAsync(TimeSpan duration)
    {
        _time.Advance(duration);
        return Task.CompletedTask;
    }
}
