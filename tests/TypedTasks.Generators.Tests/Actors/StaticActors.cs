using System;
using System.Collections.Concurrent;
using System.Threading;
using System.Threading.Tasks;

namespace TypedTasks.Generators.Tests.Actors;

/// <summary>Static actors, one per supported return shape.</summary>
public static class StaticActors
{
    /// <summary>What actors without a result did, keyed by the marker the calling test passed.</summary>
    public static ConcurrentDictionary<string, string> Effects { get; } = new(StringComparer.Ordinal);

    /// <summary>Records a greeting for <paramref name="recipient"/>.</summary>
    /// <param name="marker">Identifies the calling test.</param>
    /// <param name="recipient">Who is greeted.</param>
    /// <remarks>Returns nothing: the effect is the record.</remarks>
    [Actor(Name = "record-greeting", Queue = "greetings")]
    public static void RecordGreeting(string marker, string recipient) => Effects[marker] = "Hello " + recipient;

    /// <summary>Adds two numbers.</summary>
    [Actor]
    public static int Add(int left, int right) => left + right;

    /// <summary>Greets someone, asynchronously.</summary>
    /// <param name="name">Who is greeted.</param>
    /// <param name="greeting">The word of greeting.</param>
    /// <param name="cancellationToken">Cancelled by the worker.</param>
    [Actor(Name = "greet")]
    public static async Task<string> GreetAsync(string name, string greeting = "Hello", CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        return greeting + ", " + name + "!";
    }

    [Actor]
    public static ValueTask<long> MultiplyAsync(long value, long factor) => new(value * factor);

    [Actor]
    public static Task StoreAsync(string marker, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        Effects[marker] = "stored";
        return Task.CompletedTask;
    }

    [Actor]
    public static async ValueTask TouchAsync(string marker)
    {
        await Task.Yield();
        Effects[marker] = "touched";
    }

    /// <summary>Reports whether the token it was given is cancelled; the token sits between two arguments.</summary>
    [Actor]
    public static string InspectToken(string prefix, CancellationToken token, int suffix) =>
        prefix + ":" + (token.IsCancellationRequested ? "cancelled" : "live") + ":" + suffix.ToString(System.Globalization.CultureInfo.InvariantCulture);

    [Actor]
    public static Task FailAsync(string reason) => throw new InvalidOperationException(reason);
}
