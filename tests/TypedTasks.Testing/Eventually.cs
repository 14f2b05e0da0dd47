using System;
using System.Diagnostics;
using System.Threading.Tasks;

namespace TypedTasks.Testing;

/// <summary>
/// The one polling helper of the test suites: for state that offers no signal to wait on (a Redis key, another
/// process's log). Fails with what was awaited, never hangs. Prefer a signal when the code under test has one.
/// </summary>
public static class Eventually
{
    /// <summary>How long a wait lasts when the test does not say: generous, since the CI machines are small and shared.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>Polls <paramref name="condition"/> until it holds.</summary>
    /// <exception cref="TimeoutException">It did not hold within <paramref name="timeout"/>; the message says
    /// <paramref name="because"/>.</exception>
    public static async Task UntilAsync(Func<Task<bool>> condition, string because, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var limit = timeout ?? DefaultTimeout;
        var elapsed = Stopwatch.StartNew();
        while (!await condition().ConfigureAwait(false))
        {
            if (elapsed.Elapsed > limit)
            {
                throw new TimeoutException($"Timed out after {limit} waiting until {because}.");
            }

            await Task.Delay(PollInterval).ConfigureAwait(false);
        }
    }

    /// <inheritdoc cref="UntilAsync(Func{Task{bool}}, string, TimeSpan?)"/>
    public static Task UntilAsync(Func<bool> condition, string because, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return UntilAsync(() => Task.FromResult(condition()), because, timeout);
    }
}
