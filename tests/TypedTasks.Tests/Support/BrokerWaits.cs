using System;
using System.Threading;
using System.Threading.Tasks;

namespace TypedTasks.Tests.Support;

internal static class BrokerWaits
{
    public static readonly TimeSpan Generous = TimeSpan.FromSeconds(15);

    /// <summary>Waits, on the broker's own change signal (no polling), until <paramref name="condition"/> holds.</summary>
    public static async Task WaitUntilAsync(this InMemoryBroker broker, Func<InMemoryBroker, bool> condition, string because)
    {
        using var timeout = new CancellationTokenSource(Generous);
        while (true)
        {
            Task changed;
            lock (broker.State.Gate)
            {
                if (condition(broker))
                {
                    return;
                }

                changed = broker.State.StateChanged;
            }

            try
            {
                await changed.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Timed out waiting until {because}.");
            }
        }
    }

    /// <summary>Awaits a signal with a generous bound, failing the test instead of hanging it.</summary>
    public static async Task Within(this Task task, string because)
    {
        try
        {
            await task.WaitAsync(Generous);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Timed out waiting until {because}.");
        }
    }

    public static async Task<T> Within<T>(this Task<T> task, string because)
    {
        try
        {
            return await task.WaitAsync(Generous);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Timed out waiting until {because}.");
        }
    }
}
