using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using TypedTasks.Tests.Support;

namespace TypedTasks.Tests.DependencyInjection;

public sealed class ScopePerMessageTests
{
    [Fact]
    public async Task Each_message_gets_its_own_scope_which_is_disposed_after_the_attempt()
    {
        await using var broker = new InMemoryBroker();
        var services = new ServiceCollection();
        services.AddScoped<ScopedProbe>();
        await using var provider = services.BuildServiceProvider(validateScopes: true);
        var seen = new ConcurrentBag<(ScopedProbe Probe, bool DisposedDuringRun, bool SameWithinScope)>();
        var actor = new TestActor("use", invocation =>
        {
            var probe = invocation.Services!.GetRequiredService<ScopedProbe>();
            var again = invocation.Services!.GetRequiredService<ScopedProbe>();
            seen.Add((probe, probe.Disposed, ReferenceEquals(probe, again)));
            return ValueTask.CompletedTask;
        });
        await broker.CreateClient().SendManyAsync([TestMessages.Create("use"), TestMessages.Create("use"), TestMessages.Create("use")]);

        await broker.RunUntilIdleAsync(new ActorRegistry([actor]), services: provider);

        Assert.Equal(3, seen.Count);
        Assert.Equal(3, seen.Select(s => s.Probe).Distinct().Count());
        Assert.All(seen, s => Assert.False(s.DisposedDuringRun));
        Assert.All(seen, s => Assert.True(s.SameWithinScope));
        Assert.All(seen, s => Assert.True(s.Probe.Disposed));
    }

    [Fact]
    public async Task Without_a_service_provider_the_invocation_has_no_services()
    {
        await using var broker = new InMemoryBroker();
        IServiceProvider? services = new ServiceCollection().BuildServiceProvider();
        var actor = new TestActor("use", invocation =>
        {
            services = invocation.Services;
            return ValueTask.CompletedTask;
        });
        await broker.CreateClient().SendAsync(TestMessages.Create("use"));

        await broker.RunUntilIdleAsync(new ActorRegistry([actor]));

        Assert.Null(services);
    }

    private sealed class ScopedProbe : IAsyncDisposable
    {
        public bool Disposed { get; private set; }

        public ValueTask DisposeAsync()
        {
            Disposed = true;
            return ValueTask.CompletedTask;
        }
    }
}
