using System.Threading;
using System.Threading.Tasks;

namespace TypedTasks;

/// <summary>
/// A reusable "something changed" notification: waiters take <see cref="NextPulse"/> while holding the lock that
/// guards the state they checked, so a pulse after their check can never be missed, and nobody polls.
/// </summary>
internal sealed class AsyncSignal
{
    private TaskCompletionSource _next = NewSource();

    /// <summary>Completes at the next <see cref="Pulse"/>.</summary>
    public Task NextPulse => Volatile.Read(ref _next).Task;

    /// <summary>Wakes everyone waiting on the current <see cref="NextPulse"/>.</summary>
    public void Pulse() => Interlocked.Exchange(ref _next, NewSource()).TrySetResult();

    // Continuations run on the thread pool, never inline under the caller's lock.
    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
