using TypedTasks.Testing;

namespace TypedTasks.Tests.InMemory;

/// <summary>The workflow contract on the in-memory broker, with real workers on the real clock.</summary>
public sealed class InMemoryWorkflowContractTests : WorkflowContract
{
    protected override ITaskBroker CreateBroker() => new InMemoryBroker();
}
