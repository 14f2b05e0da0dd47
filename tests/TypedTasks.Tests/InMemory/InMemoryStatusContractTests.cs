using System;
using System.Threading.Tasks;
using Microsoft.Extensions.Time.Testing;
using TypedTasks.Testing;

namespace TypedTasks.Tests.InMemory;

/// <summary>The status contract on the in-memory broker, its clock a <see cref="FakeTimeProvider"/> the cases advance.</summary>
public sealed class InMemoryStatusContractTests : StatusContract
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);

    protected override TimeProvider Time => _time;

    protected override ITaskBroker CreateBroker() => new InMemoryBroker(_time);

    protected override Task LetTimePassAsync(TimeSpan duration)
    {
        _time.Advance(duration);
        return Task.CompletedTask;
    }
}
