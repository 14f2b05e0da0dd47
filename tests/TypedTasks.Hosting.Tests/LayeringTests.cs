using System;
using System.Linq;

namespace TypedTasks.Hosting.Tests;

/// <summary>Hosting knows no transport: each transport package wires itself in (docs/architecture.md).</summary>
public sealed class LayeringTests
{
    [Theory]
    [InlineData("StackExchange.Redis")]
    [InlineData("TypedTasks.Redis")]
    public void The_hosting_assembly_does_not_reference_a_transport(string transport)
    {
        var references = typeof(TypedTasksBuilder).Assembly.GetReferencedAssemblies().Select(static a => a.Name).ToArray();

        // The reference list is real: the core package is on it.
        Assert.Contains("TypedTasks", references);
        Assert.DoesNotContain(transport, references, StringComparer.OrdinalIgnoreCase);
    }

    [Fact]
    public void No_assembly_can_see_the_internals_of_a_transport_from_hosting()
    {
        var friends = typeof(Redis.RedisBroker).Assembly
            .GetCustomAttributes(typeof(System.Runtime.CompilerServices.InternalsVisibleToAttribute), inherit: false)
            .Cast<System.Runtime.CompilerServices.InternalsVisibleToAttribute>()
            .Select(static a => a.AssemblyName);

        Assert.DoesNotContain("TypedTasks.Hosting", friends);
    }
}
