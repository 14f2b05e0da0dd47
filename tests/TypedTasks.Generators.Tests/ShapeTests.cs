using System.Linq;
using TypedTasks.Generators.Tests.Infrastructure;

namespace TypedTasks.Generators.Tests;

/// <summary>An actor with an error keeps its stub's shape: its call sites compile, and its own diagnostic is the only
/// error the user sees (no "does not contain a definition" cascade).</summary>
public sealed class ShapeTests
{
    [Fact]
    public void Call_sites_of_an_actor_missing_json_metadata_see_only_TT0101()
    {
        const string Source = """
            using System.Threading.Tasks;
            using TypedTasks;

            namespace App;

            public sealed record ReportId(string Value);

            public static class Reports
            {
                [Actor(Name = "reports.build")]
                public static Task<ReportId> BuildAsync(ReportId id, int pages = 1) => Task.FromResult(id);
            }

            public static class Caller
            {
                public static async Task<ReportId> CallAsync(ITaskClient client, TaskHandle sent)
                {
                    TaskRequest message = Tasks.Reports.Build.Message(new ReportId("r1"), pages: 2);
                    TaskHandle<ReportId> handle = await Tasks.Reports.Build.SendAsync(client, new ReportId("r2"));
                    return await Tasks.Reports.Build.Handle(sent).GetResultAsync(System.TimeSpan.FromSeconds(1));
                }
            }
            """;

        var outcome = GeneratorHarness.Run(Source);

        Assert.Equal(["TT0101"], outcome.AllDiagnostics.Select(static d => d.Id));
        var registry = outcome.Sources.Single(static s => s.HintName == "Tasks.Registry.g.cs").SourceText.ToString();
        Assert.DoesNotContain("Build.Actor,", registry, System.StringComparison.Ordinal);
    }

    [Fact]
    public void Call_sites_of_actors_sharing_a_wire_name_see_only_TT0006()
    {
        const string Source = """
            using TypedTasks;

            namespace App;

            public static class Jobs
            {
                [Actor(Name = "same")] public static void First(int a) { }
                [Actor(Name = "same")] public static void Second(string b) { }
            }

            public static class Caller
            {
                public static void Call() => _ = (Tasks.Jobs.First.Message(1), Tasks.Jobs.Second.Message("b"));
            }
            """;

        var outcome = GeneratorHarness.Run(Source);

        Assert.Equal(["TT0006", "TT0006"], outcome.AllDiagnostics.Select(static d => d.Id));
    }

    [Fact]
    public void Workflow_call_sites_of_an_actor_missing_json_metadata_see_only_TT0101()
    {
        const string Source = """
            using TypedTasks;

            namespace App;

            public sealed record ReportId(string Value);

            public static class Reports
            {
                [Actor(Name = "reports.count")]
                public static int Count(string text) => text.Length;

                [Actor(Name = "reports.build")]
                public static ReportId Build(int pages, string title = "t") => new(title);

                [Actor(Name = "reports.archive")]
                public static void Archive(ReportId id, string shelf) { }
            }

            public static class Caller
            {
                public static Workflow Chain() =>
                    Tasks.Reports.Count.Message("text")
                        .Then(Tasks.Reports.Build.With(title: "Q3"))
                        .Then(Tasks.Reports.Archive.With(shelf: "top"));

                public static Workflow Graph()
                {
                    TaskRequest<ReportId> built = Tasks.Reports.Build.Message(2);
                    Workflow<ReportId> step = Tasks.Reports.Build.Step(Tasks.Reports.Count.Message("x"));
                    return Tasks.Reports.Archive.Step(step, "top");
                }
            }
            """;

        var outcome = GeneratorHarness.Run(Source);

        // One per actor with the unknown type: Build's result and Archive's parameter.
        Assert.Equal(["TT0101", "TT0101"], outcome.AllDiagnostics.Select(static d => d.Id));
    }
}
