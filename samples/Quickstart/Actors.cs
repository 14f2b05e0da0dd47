using System;
using System.Text.Json.Serialization;
using System.Threading;
using System.Threading.Tasks;
using TypedTasks;

namespace Quickstart;

/// <summary>The quickstart's actors: ordinary methods marked [Actor].</summary>
public static class Mail
{
    /// <summary>Sends the welcome email (here: prints it).</summary>
    /// <param name="to">The recipient's address.</param>
    /// <param name="name">The name to greet.</param>
    /// <param name="cancellationToken">Cancelled on the time limit or shutdown.</param>
    [Actor(Name = "SendWelcome", Queue = "email", MaxRetries = 5, TimeLimitSeconds = 30)]
    public static async Task SendWelcome(string to, string name, CancellationToken cancellationToken)
    {
        await Task.Delay(10, cancellationToken);
        Console.WriteLine($"  [worker] welcome email sent to {name} <{to}>");
    }
}

/// <summary>Arithmetic with a typed result.</summary>
public static class MathActors
{
    /// <summary>Adds two numbers on a worker.</summary>
    [Actor(Name = "Add")]
    public static int Add(int a, int b) => a + b;
}

/// <summary>The kinds of report.</summary>
public enum ReportKind
{
    /// <summary>One month.</summary>
    Monthly,

    /// <summary>One year.</summary>
    Yearly,
}

/// <summary>A user-defined result type: its JSON metadata comes from <see cref="QuickstartJsonContext"/>.</summary>
public sealed record Report(int UserId, ReportKind Kind, decimal Total, DateTimeOffset GeneratedAt);

/// <summary>Where reports come from; resolved from DI for the instance actor below.</summary>
public interface IReportStore
{
    /// <summary>The total for a user.</summary>
    decimal TotalFor(int userId);
}

/// <summary>A fake store.</summary>
public sealed class FakeReportStore : IReportStore
{
    /// <inheritdoc />
    public decimal TotalFor(int userId) => userId * 10.5m;
}

/// <summary>An instance actor: built per message from the message's DI scope.</summary>
public sealed class Reports(IReportStore store)
{
    private static int s_flakyCalls;

    /// <summary>Generates a report.</summary>
    [Actor(Name = "Generate", Queue = "reports", MinBackoffSeconds = 0.2, MaxBackoffSeconds = 1)]
    public async Task<Report> Generate(int userId, ReportKind kind, CancellationToken cancellationToken)
    {
        // Fails on its first call to show an automatic retry with backoff.
        if (Interlocked.Increment(ref s_flakyCalls) == 1)
        {
            Console.WriteLine("  [worker] report database warming up: this attempt fails and is retried after a backoff");
            throw new InvalidOperationException("The report database is warming up.");
        }

        await Task.Delay(20, cancellationToken);
        return new Report(userId, kind, store.TotalFor(userId), DateTimeOffset.UtcNow);
    }
}

/// <summary>JSON metadata for the quickstart's own types (System.Text.Json source generation).</summary>
[JsonSerializable(typeof(Report))]
public sealed partial class QuickstartJsonContext : JsonSerializerContext
{
}
