using System;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using TypedTasks.Generators.Tests.Infrastructure;

namespace TypedTasks.Generators.Tests;

/// <summary>
/// Workflows built from the generated <c>Message</c>, <c>With</c> and <c>Step</c> type-check: a step whose input type
/// differs from the result it is fed is a compile error that names both types, at the call that joins them.
/// </summary>
public sealed class WorkflowTypingTests
{
    private const string Actors = """
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using TypedTasks;

        namespace App;

        public static class Images
        {
            [Actor(Name = "images.download")]
            public static Task<byte[]> DownloadAsync(string url, CancellationToken cancellationToken) => Task.FromResult(new byte[] { 1 });

            [Actor(Name = "images.resize")]
            public static byte[] Resize(byte[] image, int width = 100) => image;

            [Actor(Name = "images.store")]
            public static Uri Store(byte[] data, string bucket) => new("https://store.example/" + bucket);

            [Actor(Name = "images.notify")]
            public static void Notify(Uri location, string channel) { }
        }

        public static class Numbers
        {
            [Actor(Name = "numbers.count")]
            public static int Count(string text) => text.Length;

            [Actor(Name = "numbers.upper")]
            public static string Upper(string text) => text.ToUpperInvariant();

            [Actor(Name = "numbers.square")]
            public static int Square(int value) => value * value;

            [Actor(Name = "numbers.sum")]
            public static int Sum(int[] values) => 0;

            [Actor(Name = "numbers.report")]
            public static string Report(int total, string title, string footer = "end") => title + total + footer;
        }

        public static class Callbacks
        {
            [Actor(Name = "workflows.failed")]
            public static void Failed(WorkflowFailure failure, string marker) { }
        }

        """;

    [Fact]
    public void A_chain_whose_types_match_compiles_without_diagnostics()
    {
        const string Flows = """
            public static class Flows
            {
                public static Workflow<Uri> Thumbnail(string url) =>
                    Tasks.Images.Download.Message(url)
                        .Then(Tasks.Images.Resize.With(width: 200))
                        .Then(Tasks.Images.Store.With(bucket: "thumbs"))
                        .OnFailure(Tasks.Callbacks.Failed.With(marker: "thumbnail"));

                public static Workflow ThumbnailAndNotify(string url) =>
                    Thumbnail(url).Then(Tasks.Images.Notify.With(channel: "ops"));

                public static async Task<Uri> SendAsync(ITaskClient client, string url)
                {
                    WorkflowHandle<Uri> handle = await Thumbnail(url).SendAsync(client);
                    return await handle.GetResultAsync(TimeSpan.FromSeconds(5));
                }

                public static Workflow<string> Graph(string text)
                {
                    TaskRequest<int> count = Tasks.Numbers.Count.Message(text);
                    Workflow<int> squared = Tasks.Numbers.Square.Step(count);
                    return Tasks.Numbers.Report.Step(squared, Tasks.Numbers.Upper.Step(text));
                }
            }
            """;

        var outcome = GeneratorHarness.Run(Actors + Flows);

        DiagnosticAssert.NoUnexpected(outcome);
    }

    [Fact]
    public void A_step_whose_first_parameter_is_nullable_or_an_interface_accepts_the_result()
    {
        // Continuations are contravariant in their input: string -> string? and int[] -> IReadOnlyList<int> need no
        // cast and raise no nullable warning (warnings are errors in these tests).
        const string Flows = """
            public static class Loose
            {
                [Actor(Name = "loose.note")]
                public static string Note(string? text) => text ?? "";

                [Actor(Name = "loose.total")]
                public static int Total(System.Collections.Generic.IReadOnlyList<int> values) => values.Count;
            }

            public static class Flows
            {
                public static Workflow<string> Nullable() => Tasks.Numbers.Upper.Message("a").Then(Tasks.Loose.Note.With());

                public static Workflow<int> Interface() =>
                    Workflow.Group(new[] { Tasks.Numbers.Square.Message(2), Tasks.Numbers.Square.Message(3) }).Then(Tasks.Loose.Total.With());
            }
            """;

        var outcome = GeneratorHarness.Run(Actors + Flows);

        DiagnosticAssert.NoUnexpected(outcome);
    }

    [Fact]
    public void Then_with_a_step_of_another_input_type_is_CS1503_naming_both_step_types()
    {
        // Count returns an int; Resize's first parameter is a byte[].
        var error = SingleError("""
            public static class Flows
            {
                public static Workflow<byte[]> Broken() =>
                    Tasks.Numbers.Count.Message("text").Then(Tasks.Images.Resize.With(width: 200));
            }
            """);

        Assert.Equal("CS1503", error.Id);
        var message = error.GetMessage(CultureInfo.InvariantCulture);
        Assert.Contains("TypedTasks.WorkflowStep<byte[], byte[]>", message, StringComparison.Ordinal);
        Assert.Contains("TypedTasks.IWorkflowContinuation<int, byte[]>", message, StringComparison.Ordinal);
        Assert.Equal("Tasks.Images.Resize.With(width: 200)", error.Location.SourceTree!.GetText().ToString(error.Location.SourceSpan));
    }

    [Fact]
    public void Then_later_in_a_chain_with_a_mismatched_step_is_CS1503_too()
    {
        // Store returns a Uri; Resize wants a byte[].
        var error = SingleError("""
            public static class Flows
            {
                public static Workflow<byte[]> Broken(string url) =>
                    Tasks.Images.Download.Message(url)
                        .Then(Tasks.Images.Store.With(bucket: "b"))
                        .Then(Tasks.Images.Resize.With(width: 200));
            }
            """);

        Assert.Equal("CS1503", error.Id);
        var message = error.GetMessage(CultureInfo.InvariantCulture);
        Assert.Contains("TypedTasks.WorkflowStep<byte[], byte[]>", message, StringComparison.Ordinal);
        Assert.Contains("TypedTasks.IWorkflowContinuation<System.Uri, byte[]>", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failure_callback_whose_first_parameter_is_not_WorkflowFailure_is_CS1503()
    {
        var error = SingleError("""
            public static class Flows
            {
                public static Workflow<int> Broken() =>
                    Tasks.Numbers.Count.Message("text").OnFailure(Tasks.Numbers.Upper.With());
            }
            """);

        Assert.Equal("CS1503", error.Id);
        var message = error.GetMessage(CultureInfo.InvariantCulture);
        Assert.Contains("TypedTasks.WorkflowStep<string, string>", message, StringComparison.Ordinal);
        Assert.Contains("TypedTasks.IWorkflowContinuation<TypedTasks.WorkflowFailure, string>", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Step_given_a_workflow_of_another_type_is_CS1503_naming_the_workflow_and_the_argument_type()
    {
        // Upper's step is a Workflow<string>; Square takes an int.
        var error = SingleError("""
            public static class Flows
            {
                public static Workflow<int> Broken() =>
                    Tasks.Numbers.Square.Step(Tasks.Numbers.Upper.Step("text"));
            }
            """);

        Assert.Equal("CS1503", error.Id);
        var message = error.GetMessage(CultureInfo.InvariantCulture);
        Assert.Contains("TypedTasks.Workflow<string>", message, StringComparison.Ordinal);
        Assert.Contains("TypedTasks.WorkflowArg<int>", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Step_given_a_request_of_another_type_in_a_later_position_is_CS1503_for_that_argument()
    {
        // Report(int total, string title): the title is fed from Count, an int.
        var error = SingleError("""
            public static class Flows
            {
                public static Workflow<string> Broken() =>
                    Tasks.Numbers.Report.Step(1, Tasks.Numbers.Count.Message("text"));
            }
            """);

        Assert.Equal("CS1503", error.Id);
        var message = error.GetMessage(CultureInfo.InvariantCulture);
        Assert.StartsWith("Argument 2:", message, StringComparison.Ordinal);
        Assert.Contains("TypedTasks.TaskRequest<int>", message, StringComparison.Ordinal);
        Assert.Contains("TypedTasks.WorkflowArg<string>", message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_group_feeds_a_chord_step_whose_first_parameter_is_an_array_of_its_result_type()
    {
        const string Flows = """
            public static class Flows
            {
                public static Workflow<int> Chord() =>
                    Workflow.Group(new[] { Tasks.Numbers.Count.Message("a"), Tasks.Numbers.Count.Message("bb") })
                        .Then(Tasks.Numbers.Sum.With());

                public static Workflow<int> ChordOfSteps() =>
                    Workflow.Group(new IWorkflowStep<int>[] { Tasks.Numbers.Count.Message("a"), Tasks.Numbers.Square.Step(3) })
                        .Then(Tasks.Numbers.Sum.With());

                public static Workflow<int> ChordAsStep() =>
                    Tasks.Numbers.Sum.Step(Workflow.Group(new[] { Tasks.Numbers.Square.Message(2), Tasks.Numbers.Square.Message(3) }));
            }
            """;

        var outcome = GeneratorHarness.Run(Actors + Flows);

        DiagnosticAssert.NoUnexpected(outcome);
    }

    [Fact]
    public void A_group_of_another_result_type_into_a_chord_step_is_CS1503_naming_the_array_types()
    {
        var error = SingleError("""
            public static class Flows
            {
                public static Workflow<int> Broken() =>
                    Workflow.Group(new[] { Tasks.Numbers.Upper.Message("a"), Tasks.Numbers.Upper.Message("b") })
                        .Then(Tasks.Numbers.Sum.With());
            }
            """);

        Assert.Equal("CS1503", error.Id);
        var message = error.GetMessage(CultureInfo.InvariantCulture);
        Assert.Contains("TypedTasks.WorkflowStep<int[], int>", message, StringComparison.Ordinal);
        Assert.Contains("TypedTasks.IWorkflowContinuation<string[], int>", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Step_takes_values_of_interface_typed_parameters()
    {
        // C# applies no user-defined conversion to an expression of an interface type, so such a value goes through
        // FromValue; a concrete collection converts implicitly.
        const string Source = """
            using System.Collections.Generic;
            using TypedTasks;

            namespace App;

            public static class Lists
            {
                [Actor(Name = "lists.count")]
                public static int Count(IReadOnlyList<string> names, int extra = 0) => names.Count + extra;
            }

            public static class Caller
            {
                public static Workflow<int> Concrete() => Tasks.Lists.Count.Step(new List<string> { "a" });

                public static Workflow<int> Interface(IReadOnlyList<string> names) =>
                    Tasks.Lists.Count.Step(WorkflowArg<IReadOnlyList<string>>.FromValue(names), extra: 2);
            }
            """;

        var outcome = GeneratorHarness.Run(Source);

        DiagnosticAssert.NoUnexpected(outcome);
    }

    [Fact]
    public void An_actor_named_WithAsync_or_StepAsync_keeps_its_suffix_instead_of_clashing_with_the_builders()
    {
        const string Source = """
            using System.Threading.Tasks;
            using TypedTasks;

            namespace App;

            public static class Jobs
            {
                [Actor(Name = "jobs.with")]
                public static Task<int> WithAsync(int value) => Task.FromResult(value);

                [Actor(Name = "jobs.step")]
                public static Task StepAsync(int value) => Task.CompletedTask;
            }

            public static class Caller
            {
                public static Workflow Chain() => Tasks.Jobs.WithAsync.Message(1).Then(Tasks.Jobs.StepAsync.With());
            }
            """;

        var outcome = GeneratorHarness.Run(Source);

        DiagnosticAssert.NoUnexpected(outcome);
    }

    /// <summary>Compiles <see cref="Actors"/> with <paramref name="flows"/> and returns the one error, which must sit in
    /// the user's code (the generated code itself stays clean).</summary>
    private static Diagnostic SingleError(string flows)
    {
        var outcome = GeneratorHarness.Run(Actors + flows);

        var diagnostics = outcome.AllDiagnostics;
        var error = Assert.Single(diagnostics, static d => d.Severity == DiagnosticSeverity.Error);
        Assert.True(diagnostics.Count == 1, string.Join(Environment.NewLine, diagnostics.Select(DiagnosticAssert.Describe)));
        Assert.Equal("Input0.cs", error.Location.SourceTree?.FilePath);
        return error;
    }
}
