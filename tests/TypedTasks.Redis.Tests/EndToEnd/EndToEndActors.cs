using System;
using System.Text.Json.Serialization;
using System.Threading;
using System.Threading.Tasks;

namespace TypedTasks.Redis.Tests.EndToEnd;

/// <summary>
/// Real actors for the end-to-end tests, compiled by the TypedTasks generator into <c>Tasks.*</c> stubs and
/// <c>Tasks.Registry</c>. Actors are static, so each test passes the key of its own <see cref="Probe"/> and tests
/// running in parallel never see each other's runs.
/// </summary>
public static class EndToEndActors
{
    /// <summary>A typed primitive result.</summary>
    [Actor(Name = "e2e.add", Queue = "e2e")]
    public static int Add(int a, int b) => a + b;

    /// <summary>A user-defined result type and an array argument.</summary>
    [Actor(Name = "e2e.summarize", Queue = "e2e")]
    public static Summary Summarize(string title, int[] numbers)
    {
        var total = 0;
        foreach (var number in numbers)
        {
            total += number;
        }

        return new Summary(title.ToUpperInvariant(), numbers.Length, total);
    }

    /// <summary>The actor the fuzz tests' valid entries name (tests/TypedTasks.Redis.Tests/Fuzzing).</summary>
    [Actor(Name = "fuzz.echo", Queue = "e2e")]
    public static int Echo(int n, string? note = null) => note is null ? n : n + note.Length;

    /// <summary>Always fails; no retries, so the failure reaches the caller at once.</summary>
    [Actor(Name = "e2e.explode", Queue = "e2e", MaxRetries = 0)]
    public static async Task<int> Explode(string reason)
    {
        await Task.Yield();
        throw new InvalidOperationException(reason);
    }

    /// <summary>Records that it ran <paramref name="item"/>.</summary>
    [Actor(Name = "e2e.record", Queue = "e2e")]
    public static string Record(string probe, int item)
    {
        Probe.Get(probe).Ran(item);
        return probe + ":" + item.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Records the run, then works for <paramref name="milliseconds"/>, or until the probe's gate opens
    /// when <paramref name="item"/> is the probe's held item.</summary>
    [Actor(Name = "e2e.hold", Queue = "e2e")]
    public static async Task<int> Hold(string probe, int item, int milliseconds, CancellationToken cancellationToken)
    {
        var state = Probe.Get(probe);
        state.Ran(item);
        await state.WorkAsync(item, TimeSpan.FromMilliseconds(milliseconds), cancellationToken);
        return item;
    }

    /// <summary>Fails its first <paramref name="failures"/> calls, then returns how many calls it took.</summary>
    [Actor(Name = "e2e.flaky", Queue = "e2e", MaxRetries = 4, MinBackoffSeconds = 0.4, MaxBackoffSeconds = 5)]
    public static int Flaky(string probe, int failures)
    {
        var call = Probe.Get(probe).NextCall();
        if (call <= failures)
        {
            throw new TimeoutException("The flaky dependency timed out on call " + call.ToString(System.Globalization.CultureInfo.InvariantCulture) + ".");
        }

        return call;
    }

    /// <summary>The survivor's side of the crash test: the worker process (tests/TypedTasks.Redis.TestWorker) declares
    /// the same wire name and parameters and never finishes before it is killed.</summary>
    /// <summary>Works until its token fires (a cancellation), recording the run and whether it saw the token; retried
    /// up to three times if it failed, which a cancelled run must not be.</summary>
    [Actor(Name = "e2e.cancellable", Queue = "e2e", MaxRetries = 3, MinBackoffSeconds = 0.2, MaxBackoffSeconds = 0.5)]
    public static async Task<int> Cancellable(string probe, int milliseconds, CancellationToken cancellationToken)
    {
        var state = Probe.Get(probe);
        state.Ran(0);
        try
        {
            await Task.Delay(milliseconds, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            state.ObservedToken();
            throw;
        }

        return milliseconds;
    }

    [Actor(Name = "e2e.slow", Queue = "e2e")]
    public static string Slow(string probe, int milliseconds)
    {
        _ = milliseconds; // the survivor does not need to be slow: the test is about who finishes the task
        Probe.Get(probe).Ran(0);
        return "finished by the survivor";
    }
}

/// <summary>A user-defined result.</summary>
public sealed record Summary(string Title, int Count, int Total);

/// <summary>JSON metadata for the actors' own types; the generator finds this context.</summary>
[JsonSerializable(typeof(Summary))]
internal sealed partial class EndToEndJsonContext : JsonSerializerContext;
