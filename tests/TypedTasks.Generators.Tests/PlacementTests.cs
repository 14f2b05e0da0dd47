using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using TypedTasks.Generators.Tests.Infrastructure;

namespace TypedTasks.Generators.Tests;

/// <summary>
/// Where <c>Tasks</c> lands and who can call it: the root namespace by default, the assembly attribute or MSBuild
/// properties otherwise; each case compiles a call site against the generated stubs and asserts zero diagnostics.
/// </summary>
public sealed class PlacementTests
{
    private const string Actors = """
        using System.Threading.Tasks;
        using TypedTasks;

        namespace MyApp.Billing;

        public static class Invoices
        {
            [Actor(Name = "invoices.generate")]
            public static int Generate(int id) => id;
        }

        public static class Reports
        {
            [Actor(Name = "reports.generate")]
            public static Task<string> GenerateAsync(string title) => Task.FromResult(title);
        }
        """;

    private static readonly Dictionary<string, string> s_myApp = new() { ["RootNamespace"] = "MyApp" };

    [Fact]
    public void Stubs_land_in_the_root_namespace_and_same_named_methods_of_two_types_both_work()
    {
        const string CallSite = """
            namespace MyApp.Web;

            public static class Caller
            {
                public static async System.Threading.Tasks.Task CallAsync(TypedTasks.ITaskClient client)
                {
                    var invoice = await Tasks.Invoices.Generate.SendAsync(client, 42);
                    var report = await Tasks.Reports.Generate.SendAsync(client, "Q3");
                    TypedTasks.TaskRequest message = Tasks.Invoices.Generate.Message(7);
                    TypedTasks.IActorRegistry registry = MyApp.Tasks.Registry;
                }
            }
            """;

        var outcome = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(Actors, CallSite), s_myApp);

        DiagnosticAssert.NoUnexpected(outcome);
        var tasks = outcome.Output.GetTypeByMetadataName("MyApp.Tasks");
        Assert.NotNull(tasks);
        Assert.Equal(Accessibility.Internal, tasks.DeclaredAccessibility);
        Assert.Null(outcome.Output.GetTypeByMetadataName("Tasks"));
    }

    [Fact]
    public void The_assembly_attribute_chooses_the_namespace_and_makes_stubs_public()
    {
        const string Attribute = """[assembly: TypedTasks.TypedTasksStubs(Namespace = "MyApp.Messaging", Public = true)]""";

        var outcome = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(Actors, Attribute), s_myApp);

        DiagnosticAssert.NoUnexpected(outcome);
        var tasks = outcome.Output.GetTypeByMetadataName("MyApp.Messaging.Tasks");
        Assert.NotNull(tasks);
        Assert.Equal(Accessibility.Public, tasks.DeclaredAccessibility);
        Assert.Equal(Accessibility.Public, outcome.Output.GetTypeByMetadataName("MyApp.Messaging.Tasks+Invoices+Generate")!.DeclaredAccessibility);
    }

    [Fact]
    public void The_msbuild_properties_choose_the_namespace_and_accessibility()
    {
        var properties = new Dictionary<string, string>
        {
            ["RootNamespace"] = "MyApp",
            ["TypedTasksStubsNamespace"] = "MyApp.Jobs",
            ["TypedTasksStubsAccessibility"] = "public",
        };

        var outcome = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(Actors), properties);

        DiagnosticAssert.NoUnexpected(outcome);
        Assert.Equal(Accessibility.Public, outcome.Output.GetTypeByMetadataName("MyApp.Jobs.Tasks")!.DeclaredAccessibility);
    }

    [Fact]
    public void An_invalid_setting_is_TT0207_and_falls_back()
    {
        var properties = new Dictionary<string, string> { ["RootNamespace"] = "MyApp", ["TypedTasksStubsAccessibility"] = "protected" };

        var outcome = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(Actors), properties);

        var diagnostic = Assert.Single(outcome.AllDiagnostics);
        Assert.Equal("TT0207", diagnostic.Id);
        Assert.Equal(
            "TypedTasksStubsAccessibility 'protected' cannot place the generated 'Tasks' class: use 'public' or 'internal'; 'internal' is used",
            diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(Accessibility.Internal, outcome.Output.GetTypeByMetadataName("MyApp.Tasks")!.DeclaredAccessibility);
    }

    [Fact]
    public void A_public_stub_whose_signature_uses_an_internal_type_stays_internal()
    {
        const string Source = """
            using TypedTasks;
            [assembly: TypedTasksStubs(Public = true)]

            namespace MyApp;

            internal enum Level { Low, High }

            public static class Alerts
            {
                [Actor(Name = "alerts.raise")] internal static void Raise(Level level = Level.High) { }
                [Actor(Name = "alerts.clear")] public static void Clear(int id) { }
            }

            internal static class Audits
            {
                [Actor(Name = "audits.record")] public static void Record(int id) { }
            }
            """;

        var outcome = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(Source), s_myApp);

        DiagnosticAssert.NoUnexpected(outcome);
        Assert.Equal(Accessibility.Internal, outcome.Output.GetTypeByMetadataName("MyApp.Tasks+Alerts+Raise")!.DeclaredAccessibility);
        Assert.Equal(Accessibility.Public, outcome.Output.GetTypeByMetadataName("MyApp.Tasks+Alerts+Clear")!.DeclaredAccessibility);
        Assert.Equal(Accessibility.Public, outcome.Output.GetTypeByMetadataName("MyApp.Tasks+Alerts")!.DeclaredAccessibility);
        Assert.Equal(Accessibility.Internal, outcome.Output.GetTypeByMetadataName("MyApp.Tasks+Audits")!.DeclaredAccessibility);
        Assert.Contains("global::MyApp.Level level = global::MyApp.Level.High", outcome.Sources.Single(static s => s.HintName == "Tasks.Alerts.Raise.g.cs").SourceText.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_user_namespace_named_Tasks_neither_clashes_with_nor_shadows_the_class()
    {
        // MyApp.Tasks is a namespace here: a class MyApp.Tasks would not compile, and code in MyApp.Tasks.* would bind
        // "Tasks" to the namespace. The class moves into the namespace, where that code finds it first.
        const string Source = """
            using System.Threading.Tasks;
            using TypedTasks;

            namespace MyApp.Tasks.Email;

            public static class Mail
            {
                [Actor(Name = "mail.send")]
                public static Task SendAsync(string to) => Task.CompletedTask;
            }

            public static class Caller
            {
                public static ValueTask<TaskHandle> Send(ITaskClient client) => Tasks.Mail.Send.SendAsync(client, "ada@example.com");
            }
            """;

        var outcome = GeneratorHarness.Run(GeneratorHarness.CreateCompilation(Source), s_myApp);

        DiagnosticAssert.NoUnexpected(outcome);
        Assert.NotNull(outcome.Output.GetTypeByMetadataName("MyApp.Tasks.Tasks"));
    }

    [Fact]
    public void Two_libraries_with_public_stubs_are_both_callable_from_a_third_project()
    {
        const string Public = "[assembly: TypedTasks.TypedTasksStubs(Public = true)]";
        var billing = Library("Billing", Public + "\nnamespace Billing; public static class Invoices { [TypedTasks.Actor(Name = \"billing.generate\")] public static int Generate(int id) => id; }");
        var reporting = Library("Reporting", Public + "\nnamespace Reporting; public static class Reports { [TypedTasks.Actor(Name = \"reports.generate\")] public static int Generate(int id) => id; }");
        const string App = """
            using System.Threading.Tasks;
            using TypedTasks;

            namespace App;

            public static class Jobs
            {
                [Actor(Name = "app.run")]
                public static void Run() { }
            }

            public static class Caller
            {
                public static async Task CallAsync(ITaskClient client)
                {
                    await Billing.Tasks.Invoices.Generate.SendAsync(client, 1);
                    await Reporting.Tasks.Reports.Generate.SendAsync(client, 2);
                    await Tasks.Jobs.Run.SendAsync(client);
                    var registry = ActorRegistry.Combine(Tasks.Registry, Billing.Tasks.Registry, Reporting.Tasks.Registry);
                }
            }
            """;

        var outcome = GeneratorHarness.Run(
            GeneratorHarness.CreateCompilation("App", [billing, reporting], App),
            new Dictionary<string, string> { ["RootNamespace"] = "App" });

        DiagnosticAssert.NoUnexpected(outcome);
    }

    private static MetadataReference Library(string name, string source)
    {
        var outcome = GeneratorHarness.Run(
            GeneratorHarness.CreateCompilation(name, [], source),
            new Dictionary<string, string> { ["RootNamespace"] = name });
        DiagnosticAssert.NoUnexpected(outcome);
        using var stream = new System.IO.MemoryStream();
        var emitted = outcome.Output.Emit(stream);
        Assert.True(emitted.Success, string.Join(Environment.NewLine, emitted.Diagnostics));
        return MetadataReference.CreateFromImage(stream.ToArray());
    }
}
