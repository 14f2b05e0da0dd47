using System;
using System.Threading;
using System.Threading.Tasks;

namespace TypedTasks.Redis.Internal;

/// <summary>
/// The one retry policy for Redis calls that must land: settling a delivery (ack, retry, dead letter, release),
/// storing an outcome, and the workflow store's reads and first-wins writes (a worker's hand-over makes them). Transient failures (<see cref="RedisFailures.IsTransient"/>) are retried with a capped
/// exponential backoff for up to <see cref="RedisBrokerOptions.CommandRetryTimeout"/>; anything else, or a failure
/// after the deadline, is thrown. Only idempotent calls come here: every settling script first checks that its
/// delivery is still pending, storing an outcome overwrites it, and a workflow's outcome and final state are first-wins.
/// </summary>
/// <remarks>Callers above the broker (the worker) do not retry again: nested retry loops multiply waits.</remarks>
internal sealed class CommandRetry(RedisBrokerOptions options, OutageLog outage)
{
    public OutageLog Outage => outage;

    public async Task<T> RunAsync<TState, T>(string operation, TState state, Func<TState, Task<T>> call, CancellationToken cancellationToken)
    {
        var time = options.TimeProvider;
        var giveUpAt = time.GetUtcNow() + options.CommandRetryTimeout;
        var backoff = RedisFailures.FirstBackoff;
        while (true)
        {
            try
            {
                var result = await call(state).ConfigureAwait(false);
                outage.Succeeded();
                return result;
            }
            catch (Exception ex) when (RedisFailures.IsTransient(ex, cancellationToken) && time.GetUtcNow() < giveUpAt)
            {
                outage.Failed(ex, operation, backoff);
                await Task.Delay(backoff, time, cancellationToken).ConfigureAwait(false);
                backoff = RedisFailures.NextBackoff(backoff);
            }
        }
    }
}
