using System.Linq;
using TypedTasks.Generators.Tests.Infrastructure;

namespace TypedTasks.Generators.Tests;

/// <summary>
/// The actors in <c>Actors/</c> are compiled into this assembly (and executed by the runtime tests); here the same
/// files go through the generator on their own, their output is compared with the verified snapshots and compiled.
/// </summary>
public sealed class SnapshotTests
{
    [Theory]
    [InlineData("StaticActors")]
    [InlineData("DefaultValueActors")]
    [InlineData("InstanceActors")]
    [InlineData("InvoiceActors")]
    [InlineData("PaymentActors")]
    [InlineData("ProgressActors")]
    [InlineData("UniqueActors")]
    [InlineData("ScheduledActors")]
    [InlineData("WorkflowActors")]
    public void Generated_source_matches_the_snapshot_and_compiles_cleanly(string actorFile)
    {
        var outcome = GeneratorHarness.Run(GeneratorHarness.ReadProjectFile($"Actors/{actorFile}.cs"));

        DiagnosticAssert.NoUnexpected(outcome);
        Assert.Contains(outcome.Sources, static s => s.HintName == "Tasks.Registry.g.cs");
        Snapshot.Verify(actorFile, outcome.Sources.Select(static s => (s.HintName, s.SourceText.ToString())));
    }
}
