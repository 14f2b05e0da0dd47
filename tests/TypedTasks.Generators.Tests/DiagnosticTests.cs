using System;
using System.Linq;
using TypedTasks.Generators.Tests.Infrastructure;

namespace TypedTasks.Generators.Tests;

/// <summary>
/// One test per diagnostic: id, message and the position of the offending token. Each also proves the invalid actor
/// is not registered and the compilation has no other diagnostic: what an invalid actor still generates (its stub's
/// shape) compiles, so there is no cascade of compiler errors.
/// </summary>
public sealed class DiagnosticTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using TypedTasks;

        namespace App;

        """;

    [Fact]
    public void TT0001_private_method() => Expect(
        "public static class Jobs { [Actor] private static void Run() { } }",
        ("TT0001", "Run()", "Actor 'App.Jobs.Run' is not accessible from generated code: 'Run' is private"));

    [Fact]
    public void TT0001_private_containing_type() => Expect(
        "public static class Outer { private static class Inner { [Actor] public static void Run() { } } }",
        ("TT0001", "Run()", "Actor 'App.Outer.Inner.Run' is not accessible from generated code: its type 'App.Outer.Inner' is private"));

    [Fact]
    public void TT0002_ref_parameter() => Expect(
        "public static class Jobs { [Actor] public static void Run(ref int count) { } }",
        ("TT0002", "ref int", "Parameter 'count' of actor 'App.Jobs.Run' is declared 'ref', but actor arguments travel by value as JSON"));

    [Fact]
    public void TT0002_params_parameter() => Expect(
        "public static class Jobs { [Actor] public static void Run(params int[] values) { } }",
        ("TT0002", "params", "Parameter 'values' of actor 'App.Jobs.Run' is declared 'params', but actor arguments travel by value as JSON"));

    [Fact]
    public void TT0003_generic_method() => Expect(
        "public static class Jobs { [Actor] public static void Run<T>(T value) { } }",
        ("TT0003", "Run<T>", "Actor 'App.Jobs.Run' is generic through 'Jobs.Run<T>(T)', but the dispatcher needs one non-generic method in a non-generic type"));

    [Fact]
    public void TT0003_generic_containing_type() => Expect(
        "public static class Jobs<T> { [Actor] public static void Run() { } }",
        ("TT0003", "Run()", "Actor 'App.Jobs<T>.Run' is generic through 'App.Jobs<T>', but the dispatcher needs one non-generic method in a non-generic type"));

    [Fact]
    public void TT0004_async_void() => Expect(
        "public static class Jobs { [Actor] public static async void Run() { await Task.Yield(); } }",
        ("TT0004", "Run()", "Actor 'App.Jobs.Run' is 'async void', so its completion and failures cannot be observed: return 'Task' instead"));

    [Fact]
    public void TT0005_two_cancellation_tokens() => Expect(
        "public static class Jobs { [Actor] public static void Run(CancellationToken first, CancellationToken second) { } }",
        ("TT0005", "second", "Actor 'App.Jobs.Run' takes more than one 'CancellationToken' ('first' and 'second'), but a task has only one"));

    [Fact]
    public void TT0006_duplicate_wire_name_reported_on_each() => Expect(
        """
        public static class Jobs { [Actor(Name = "same")] public static void First() { } }
        public static class Other { [Actor(Name = "same")] public static void Second() { } }
        """,
        ("TT0006", "First()", "Wire name 'same' of actor 'App.Jobs.First' is also used by 'App.Other.Second' in this assembly: set a distinct [Actor(Name = ...)]"),
        ("TT0006", "Second()", "Wire name 'same' of actor 'App.Other.Second' is also used by 'App.Jobs.First' in this assembly: set a distinct [Actor(Name = ...)]"));

    [Fact]
    public void TT0007_overloads_reported_on_each() => Expect(
        """
        public static class Jobs
        {
            [Actor(Name = "jobs.run")] public static void Run() { }
            [Actor(Name = "jobs.run-count")] public static void Run(int count) { }
        }
        """,
        ("TT0007", "Run()", "Actors 'App.Jobs.Run' and 'App.Jobs.Run' would both generate 'Tasks.Jobs.Run': rename one of the methods"),
        ("TT0007", "Run(int", "Actors 'App.Jobs.Run' and 'App.Jobs.Run' would both generate 'Tasks.Jobs.Run': rename one of the methods"));

    [Fact]
    public void TT0007_async_suffix_twin() => Expect(
        """
        public static class Jobs
        {
            [Actor(Name = "a")] public static void Send() { }
            [Actor(Name = "b")] public static Task SendAsync() => Task.CompletedTask;
        }
        """,
        ("TT0007", "Send()", "Actors 'App.Jobs.Send' and 'App.Jobs.SendAsync' would both generate 'Tasks.Jobs.Send': rename one of the methods"),
        ("TT0007", "SendAsync()", "Actors 'App.Jobs.SendAsync' and 'App.Jobs.Send' would both generate 'Tasks.Jobs.Send': rename one of the methods"));

    [Fact]
    public void TT0008_async_enumerable() => Expect(
        "public static class Jobs { [Actor] public static IAsyncEnumerable<int> Run() => throw new NotSupportedException(); }",
        ("TT0008", "IAsyncEnumerable<int>", "Actor 'App.Jobs.Run' returns 'System.Collections.Generic.IAsyncEnumerable<int>', but an actor returns void, Task, ValueTask, a value, Task<T> or ValueTask<T> of a serializable value"));

    [Fact]
    public void TT0008_task_of_task() => Expect(
        "public static class Jobs { [Actor] public static Task<Task> Run() => Task.FromResult(Task.CompletedTask); }",
        ("TT0008", "Task<Task>", "Actor 'App.Jobs.Run' returns 'System.Threading.Tasks.Task<System.Threading.Tasks.Task>', but an actor returns void, Task, ValueTask, a value, Task<T> or ValueTask<T> of a serializable value"));

    [Fact]
    public void TT0009_abstract_type() => Expect(
        "public abstract class Job { [Actor] public void Run() { } }",
        ("TT0009", "Run()", "Instance actor 'App.Job.Run' is declared on 'App.Job', which the generated factory cannot construct: it is abstract; make the actor static, or declare it on a concrete class"));

    [Fact]
    public void TT0009_interface() => Expect(
        "public interface IJob { [Actor] void Run(); }",
        ("TT0009", "Run()", "Instance actor 'App.IJob.Run' is declared on 'App.IJob', which the generated factory cannot construct: it is an interface; make the actor static, or declare it on a class"));

    [Fact]
    public void TT0009_several_constructors_are_named() => Expect(
        "public sealed class Job { public Job() { } public Job(int size) { } [Actor] public void Run() { } }",
        ("TT0009", "Run()", "Instance actor 'App.Job.Run' is declared on 'App.Job', which the generated factory cannot construct: it has several public or internal constructors ('Job.Job()', 'Job.Job(int)'), so keep one of them"));

    [Fact]
    public void TT0009_no_public_constructor() => Expect(
        "public sealed class Job { private Job() { } [Actor] public void Run() { } }",
        ("TT0009", "Run()", "Instance actor 'App.Job.Run' is declared on 'App.Job', which the generated factory cannot construct: it has no public or internal constructor"));

    [Fact]
    public void TT0010_reserved_parameter_name() => Expect(
        "public static class Jobs { [Actor] public static void Run(string options) { } }",
        ("TT0010", "options", "Parameter 'options' of actor 'App.Jobs.Run' clashes with the 'options' parameter of the generated stub: rename it"));

    [Fact]
    public void TT0011_reserved_stub_name() => Expect(
        "public static class Jobs { [Actor(Name = \"message\")] public static void Message() { } }",
        ("TT0011", "Message()", "Actor 'App.Jobs.Message' would generate 'Tasks.Jobs.Message', but 'Message' is a name the generated code already uses: rename the method or its type"));

    [Fact]
    public void TT0011_reserved_stub_name_of_a_workflow_builder() => Expect(
        "public static class Jobs { [Actor(Name = \"step\")] public static void Step(int id) { } }",
        ("TT0011", "Step(int", "Actor 'App.Jobs.Step' would generate 'Tasks.Jobs.Step', but 'Step' is a name the generated code already uses: rename the method or its type"));

    [Fact]
    public void TT0011_reserved_group_name() => Expect(
        "public static class Registry { [Actor] public static void Run() { } }",
        ("TT0011", "Run()", "Actor 'App.Registry.Run' would generate 'Tasks.Registry.Run', but 'Registry' is a name the generated code already uses: rename the method or its type"));

    [Fact]
    public void TT0101_without_any_context() => Expect(
        "public sealed record ReportId(string Value);\npublic static class Jobs { [Actor] public static void Run(ReportId id) { } }",
        ("TT0101", "ReportId id", "Type 'App.ReportId' has no JSON metadata: declare a JsonSerializerContext in this assembly and add [JsonSerializable(typeof(global::App.ReportId))] to it"));

    [Fact]
    public void TT0101_with_a_context_names_it() => Expect(
        """
        public sealed record ReportId(string Value);
        public sealed record Report(string Title);
        [System.Text.Json.Serialization.JsonSerializable(typeof(Report))]
        internal sealed partial class AppJson : System.Text.Json.Serialization.JsonSerializerContext { }
        public static class Jobs { [Actor] public static Task<ReportId> Run(Report report) => Task.FromResult(new ReportId(report.Title)); }
        """,
        ("TT0101", "Task<ReportId>", "Type 'App.ReportId' has no JSON metadata: add [JsonSerializable(typeof(global::App.ReportId))] to a JsonSerializerContext in this assembly, such as 'App.AppJson'"));

    [Fact]
    public void TT0201_negative_max_retries() => Expect(
        "public static class Jobs { [Actor(MaxRetries = -1)] public static void Run() { } }",
        ("TT0201", "-1", "MaxRetries of actor 'App.Jobs.Run' is -1, but it must be zero or more"));

    [Fact]
    public void TT0202_zero_duration() => Expect(
        "public static class Jobs { [Actor(TimeLimitSeconds = 0)] public static void Run() { } }",
        ("TT0202", "0)]", "TimeLimitSeconds of actor 'App.Jobs.Run' is 0, but it must be a positive, finite number of seconds"));

    [Fact]
    public void TT0203_min_backoff_above_max() => Expect(
        "public static class Jobs { [Actor(MinBackoffSeconds = 10, MaxBackoffSeconds = 5)] public static void Run() { } }",
        ("TT0203", "10", "MinBackoffSeconds of actor 'App.Jobs.Run' is 10, above its MaxBackoffSeconds of 5"));

    [Fact]
    public void TT0204_whitespace_name() => Expect(
        "public static class Jobs { [Actor(Name = \" \")] public static void Run() { } }",
        ("TT0204", "\" \"", "Name of actor 'App.Jobs.Run' is empty or whitespace: omit it to use the default, or set a value"));

    [Fact]
    public void TT0205_invalid_queue_characters() => Expect(
        "public static class Jobs { [Actor(Queue = \"bad queue\")] public static void Run() { } }",
        ("TT0205", "\"bad queue\"", "Queue 'bad queue' of actor 'App.Jobs.Run' may only contain letters A-Z and a-z, digits, '_', '.', ':' and '-'"));

    [Fact]
    public void TT0206_do_not_retry_on_a_non_exception() => Expect(
        "public static class Jobs { [Actor(DoNotRetryOn = [typeof(string)])] public static void Run() { } }",
        ("TT0206", "[typeof", "DoNotRetryOn of actor 'App.Jobs.Run' lists 'string', which is not an accessible, non-generic exception type"));

    [Fact]
    public void TT0208_invalid_cron_expression() => Expect(
        "public static class Jobs { [Actor(Name = \"jobs.run\"), Schedule(\"0 25 * * *\")] public static void Run() { } }",
        ("TT0208", "\"0 25", "Cron expression '0 25 * * *' of a schedule of actor 'App.Jobs.Run' is not valid: Hours: Value must be a number between 0 and 23 (all inclusive)"));

    [Fact]
    public void TT0208_too_few_fields() => Expect(
        "public static class Jobs { [Actor(Name = \"jobs.run\"), Schedule(\"* * *\")] public static void Run() { } }",
        ("TT0208", "\"* * *", "Cron expression '* * *' of a schedule of actor 'App.Jobs.Run' is not valid: it has 3 field(s), but cron has five ('minute hour day-of-month month day-of-week') or six (seconds first)"));

    [Fact]
    public void TT0209_unknown_time_zone() => Expect(
        "public static class Jobs { [Actor(Name = \"jobs.run\"), Schedule(\"0 3 * * *\", TimeZone = \"Europe/Berlln\")] public static void Run() { } }",
        ("TT0209", "\"Europe/Berlln\"", "Time zone 'Europe/Berlln' of a schedule of actor 'App.Jobs.Run' is not known: use an IANA id such as 'Europe/Berlin', or leave it unset for UTC"));

    [Fact]
    public void TT0210_scheduled_actor_with_a_required_parameter() => Expect(
        "public static class Jobs { [Actor(Name = \"jobs.run\"), Schedule(\"0 3 * * *\")] public static void Run(int userId, CancellationToken ct) { } }",
        ("TT0210", "Schedule(", "Actor 'App.Jobs.Run' has a [Schedule], but its parameter 'userId' has no default value and a declared schedule sends no arguments: give it a default, or add the schedule at run time with TaskSchedules.SetAsync and 'Tasks.Jobs.Run.Message(...)'"));

    [Fact]
    public void TT0211_invalid_schedule_name() => Expect(
        "public static class Jobs { [Actor(Name = \"jobs.run\"), Schedule(\"0 3 * * *\", Name = \"nightly run\")] public static void Run() { } }",
        ("TT0211", "\"nightly run\"", "Schedule name 'nightly run' of actor 'App.Jobs.Run' must be 1 to 100 characters of letters A-Z and a-z, digits, '_', '.', ':' and '-'"));

    [Fact]
    public void TT0212_two_unnamed_schedules_on_one_actor() => Expect(
        "public static class Jobs { [Actor(Name = \"jobs.run\"), Schedule(\"0 3 * * *\"), Schedule(\"0 15 * * *\")] public static void Run() { } }",
        ("TT0212", "Schedule(\"0 15", "Schedule name 'jobs.run' of actor 'App.Jobs.Run' is also used by a schedule of 'App.Jobs.Run': give each [Schedule] a distinct Name"));

    [Fact]
    public void TT0212_one_schedule_name_on_two_actors() => Expect(
        """
        public static class Jobs
        {
            [Actor(Name = "jobs.a"), Schedule("0 3 * * *", Name = "nightly")] public static void A() { }
            [Actor(Name = "jobs.b"), Schedule("0 4 * * *", Name = "nightly")] public static void B() { }
        }
        """,
        ("TT0212", "A()", "Schedule name 'nightly' of actor 'App.Jobs.A' is also used by a schedule of 'App.Jobs.B': give each [Schedule] a distinct Name"),
        ("TT0212", "B()", "Schedule name 'nightly' of actor 'App.Jobs.B' is also used by a schedule of 'App.Jobs.A': give each [Schedule] a distinct Name"));

    [Fact]
    public void Unknown_parameter_type_leaves_the_error_to_the_compiler()
    {
        var outcome = GeneratorHarness.Run(Usings + "public static class Jobs { [Actor] public static void Run(Missing value) { } }");

        Assert.Empty(outcome.GeneratorDiagnostics);
        Assert.Equal(["CS0246"], outcome.AllDiagnostics.Select(static d => d.Id));
        Assert.Equal(["Tasks.Registry.g.cs"], outcome.Sources.Select(static s => s.HintName));
    }

    [Fact]
    public void Only_the_invalid_actor_leaves_the_registry()
    {
        var outcome = GeneratorHarness.Run(Usings + "public static class Jobs { [Actor] public static void Good() { } [Actor] public static void Bad(ref int x) { } }");

        Assert.Equal(["TT0002"], outcome.GeneratorDiagnostics.Select(static d => d.Id));
        Assert.Equal(["Tasks.Jobs.Bad.g.cs", "Tasks.Jobs.Good.g.cs", "Tasks.Registry.g.cs"], outcome.Sources.Select(static s => s.HintName).Order(StringComparer.Ordinal));
        Assert.Equal(["TT0002"], outcome.AllDiagnostics.Select(static d => d.Id));
        var registry = outcome.Sources.Single(static s => s.HintName == "Tasks.Registry.g.cs").SourceText.ToString();
        Assert.Contains("global::Tasks.Jobs.Good.Actor,", registry, StringComparison.Ordinal);
        Assert.DoesNotContain("Bad.Actor", registry, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_descriptor_has_a_documentation_page_and_a_release_entry()
    {
        var descriptors = typeof(Diagnostics.DiagnosticDescriptors)
            .GetFields(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)
            .Select(static f => (Microsoft.CodeAnalysis.DiagnosticDescriptor)f.GetValue(null)!)
            .ToList();
        var root = System.IO.Path.GetFullPath(System.IO.Path.Combine(GeneratorHarness.FindProjectDirectory(ThisFile()), "..", ".."));
        var releases = System.IO.File.ReadAllText(System.IO.Path.Combine(root, "generators", "TypedTasks.Generators", "AnalyzerReleases.Unshipped.md"));
        var index = System.IO.File.ReadAllText(System.IO.Path.Combine(root, "docs", "diagnostics", "README.md"));

        Assert.Equal(descriptors.Count, descriptors.Select(static d => d.Id).Distinct().Count());
        foreach (var descriptor in descriptors)
        {
            Assert.True(System.IO.File.Exists(System.IO.Path.Combine(root, "docs", "diagnostics", descriptor.Id + ".md")), descriptor.Id + " has no page");
            Assert.EndsWith("docs/diagnostics/" + descriptor.Id + ".md", descriptor.HelpLinkUri, StringComparison.Ordinal);
            Assert.Contains(descriptor.Id + " | " + descriptor.Category + " | " + descriptor.DefaultSeverity + " | " + descriptor.Title, releases, StringComparison.Ordinal);
            Assert.Contains(descriptor.Id, index, StringComparison.Ordinal);
            Assert.False(descriptor.MessageFormat.ToString(System.Globalization.CultureInfo.InvariantCulture).EndsWith('.'), descriptor.Id + " message ends with a period");
        }
    }

    private static string ThisFile([System.Runtime.CompilerServices.CallerFilePath] string path = "") => path;

    /// <summary>Runs the generator on <paramref name="body"/>; each expectation names a snippet whose first (or
    /// n-th) occurrence is where the diagnostic must point.</summary>
    private static void Expect(string body, params (string Id, string At, string Message, int Occurrence)[] expected)
    {
        var source = Usings + body.Replace("\r\n", "\n", StringComparison.Ordinal);
        var outcome = GeneratorHarness.Run(source);

        DiagnosticAssert.NoUnexpected(outcome, [.. expected.Select(e => Locate(source, e))]);
        var registry = outcome.Sources.Single(static s => s.HintName == "Tasks.Registry.g.cs").SourceText.ToString();
        Assert.DoesNotContain(".Actor,", registry, StringComparison.Ordinal);
    }

    private static void Expect(string body, params (string Id, string At, string Message)[] expected) =>
        Expect(body, [.. expected.Select(static e => (e.Id, e.At, e.Message, 1))]);

    private static ExpectedDiagnostic Locate(string source, (string Id, string At, string Message, int Occurrence) expected)
    {
        var offset = -1;
        for (var i = 0; i < expected.Occurrence; i++)
        {
            offset = source.IndexOf(expected.At, offset + 1, StringComparison.Ordinal);
            Assert.True(offset >= 0, $"'{expected.At}' not found in the source");
        }

        var before = source[..offset];
        var line = before.Count(static c => c == '\n') + 1;
        var column = offset - (before.LastIndexOf('\n') + 1) + 1;
        return new ExpectedDiagnostic(expected.Id, expected.Message, line, column);
    }
}
