using System;
using System.Threading;
using System.Threading.Tasks;

namespace TypedTasks.Redis.Internal;

/// <summary>
/// An auto-reset signal an idle consumer awaits. A <see cref="Set"/> with nobody waiting is remembered, so a
/// notification that arrives between "read found nothing" and "start waiting" is never lost.
/// </summary>
internal sealed class WakeSignal
{
    private readonly Lock _gate = new();
    private TaskCompletionSource<bool>? _waiter;
    private bool _pending;

    public void Set()
    {
        TaskCompletionSource<bool>? waiter;
        lock (_gate)
        {
            waiter = _waiter;
            _waiter = null;
            if (waiter is null)
            {
                _pending = true;
                return;
            }
        }

        waiter.TrySetResult(true);
    }

    /// <summary>True when woken, false on timeout.</summary>
    public async ValueTask<bool> WaitAsync(TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        TaskCompletionSource<bool> waiter;
        lock (_gate)
        {
            if (_pending)
            {
                _pending = false;
                return true;
            }

            waiter = _waiter ??= new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        try
        {
            return await waiter.Task.WaitAsync(timeout, timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return false;
        }
        finally
        {
            lock (_gate)
            {
                if (ReferenceEquals(_waiter, waiter))
                {
                    _waiter = null;
                }
            }
        }
    }
}
