using System;
using System.Threading;

namespace TypedTasks;

/// <summary>
/// One processing slot's cancellation: a source linked to the worker's abort token, reused from attempt to attempt
/// (reset when it did not fire), and the id of the task the slot runs, so that a cancellation request for that task
/// fires the token the actor received. No allocation per attempt while nothing is cancelled.
/// </summary>
/// <remarks>A reset source keeps registrations that its token's earlier users never disposed (<c>Task.Delay</c>,
/// <c>WaitAsync</c> and <c>HttpClient</c> dispose theirs): such a leaked callback runs when a later attempt of the same
/// slot is cancelled, which is harmless for the usual callbacks (completing a wait nobody awaits any more).</remarks>
internal sealed class AttemptSlot
{
    private readonly Lock _gate = new();
    private readonly CancellationToken _abort;
    private CancellationTokenSource _source;
    private string? _taskId;

    public AttemptSlot(CancellationToken abort)
    {
        _abort = abort;
        _source = CancellationTokenSource.CreateLinkedTokenSource(abort);
    }

    /// <summary>Whether the running attempt's token fired because its task was cancelled.</summary>
    public bool CancelledByRequest { get; private set; }

    /// <summary>Starts an attempt of <paramref name="taskId"/>; returns the token to give the actor.</summary>
    public CancellationToken Begin(string taskId)
    {
        lock (_gate)
        {
            if (!_source.TryReset())
            {
                // It fired (a cancellation, or the worker's abort): a fresh one, still linked to the abort token.
                _source.Dispose();
                _source = CancellationTokenSource.CreateLinkedTokenSource(_abort);
            }

            _taskId = taskId;
            CancelledByRequest = false;
            return _source.Token;
        }
    }

    /// <summary>Ends the attempt: later cancellations of its task no longer touch this slot.</summary>
    public void End()
    {
        lock (_gate)
        {
            _taskId = null;
        }
    }

    /// <summary>Fires the token if this slot runs <paramref name="taskId"/>.</summary>
    public void CancelIfRunning(string taskId)
    {
        lock (_gate)
        {
            if (!string.Equals(_taskId, taskId, StringComparison.Ordinal))
            {
                return;
            }

            // Under the gate, so the next attempt cannot reuse the source between the check and the cancel; CancelAsync
            // marks the source cancelled at once and runs the actor's callbacks on the thread pool, not under the gate.
            CancelledByRequest = true;
            _ = _source.CancelAsync();
        }
    }
}
