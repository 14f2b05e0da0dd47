using System.Threading;
using System.Threading.Tasks;

namespace TypedTasks;

/// <summary>
/// Counts acknowledgements issued but not yet confirmed by the broker, so a processing slot can move on as soon as
/// its actor finished while shutdown still waits for every ack before the consumer goes away.
/// </summary>
/// <remarks>
/// The bound keeps memory flat when the broker acknowledges slower than actors finish: a slot that would exceed it
/// waits for room, which turns back into the old behaviour (the slot waits for an ack) instead of queueing without
/// limit.
/// </remarks>
internal sealed class OutstandingAcks
{
    private readonly SemaphoreSlim _room;
    private readonly Lock _gate = new();
    private int _count;
    private TaskCompletionSource? _drained;

    public OutstandingAcks(int capacity) => _room = new SemaphoreSlim(capacity, capacity);

    /// <summary>How many acks are on their way.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Waits until one more ack may be outstanding and counts it; pair with <see cref="Exit"/>.</summary>
    public async ValueTask EnterAsync()
    {
        // Settlement is not cancellable (an attempt that ran must be recorded), so neither is waiting for room.
        if (!_room.Wait(0, CancellationToken.None))
        {
            await _room.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        }

        lock (_gate)
        {
            _count++;
        }
    }

    /// <summary>Marks one ack as confirmed or given up.</summary>
    public void Exit()
    {
        TaskCompletionSource? drained = null;
        lock (_gate)
        {
            if (--_count == 0)
            {
                drained = _drained;
                _drained = null;
            }
        }

        _room.Release();
        drained?.TrySetResult();
    }

    /// <summary>Completes when no ack is outstanding (at once if none is).</summary>
    public Task WhenDrainedAsync()
    {
        lock (_gate)
        {
            if (_count == 0)
            {
                return Task.CompletedTask;
            }

            // Asynchronous continuations: the waiter is shutdown, which must not run on the thread completing an ack.
            _drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _drained.Task;
        }
    }
}
