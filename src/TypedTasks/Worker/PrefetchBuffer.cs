using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace TypedTasks;

/// <summary>
/// The fetched-but-unstarted deliveries of one worker, bounded by the prefetch limit. Higher actor priority is taken
/// first; equal priorities keep arrival order.
/// </summary>
/// <remarks>
/// Two semaphores count the free slots (the receive loop waits on them before asking the broker for more) and the
/// waiting items (processing loops wait on them), so neither side spins. Ordering uses a <see cref="PriorityQueue{TElement, TPriority}"/>
/// whose size never exceeds the prefetch limit, so the log-n cost stays negligible next to a broker round trip.
/// </remarks>
internal sealed class PrefetchBuffer
{
    private readonly PriorityQueue<PendingDelivery, PrefetchOrder> _queue;
    private readonly SemaphoreSlim _room;
    private readonly SemaphoreSlim _items = new(0);
    private long _sequence;
    private bool _closed;

    public PrefetchBuffer(int capacity)
    {
        _queue = new PriorityQueue<PendingDelivery, PrefetchOrder>(capacity, PrefetchOrder.Comparer);
        _room = new SemaphoreSlim(capacity, capacity);
    }

    /// <summary>Waits for at least one free slot and reserves up to <paramref name="max"/> slots.</summary>
    public async ValueTask<int> ReserveRoomAsync(int max, CancellationToken cancellationToken)
    {
        await _room.WaitAsync(cancellationToken).ConfigureAwait(false);
        var reserved = 1;
        while (reserved < max && _room.Wait(0, CancellationToken.None))
        {
            reserved++;
        }

        return reserved;
    }

    /// <summary>Gives back slots reserved but not filled.</summary>
    public void ReturnRoom(int count)
    {
        if (count > 0)
        {
            _room.Release(count);
        }
    }

    /// <summary>Adds a delivery into a reserved slot; false once the buffer is closed (the caller releases it).</summary>
    public bool TryAdd(PendingDelivery pending)
    {
        var priority = pending.Actor?.Options.Priority ?? 0;
        lock (_queue)
        {
            if (_closed)
            {
                return false;
            }

            _queue.Enqueue(pending, new PrefetchOrder(priority, _sequence++));
        }

        _items.Release();
        return true;
    }

    /// <summary>Waits for the next delivery to start; <see langword="null"/> once the buffer is closed.</summary>
    public async ValueTask<PendingDelivery?> TakeAsync(CancellationToken cancellationToken)
    {
        await _items.WaitAsync(cancellationToken).ConfigureAwait(false);
        PendingDelivery next;
        lock (_queue)
        {
            if (_closed || !_queue.TryDequeue(out next, out _))
            {
                return null;
            }
        }

        _room.Release();
        return next;
    }

    /// <summary>Stops accepting and taking, and hands back every delivery that never started.</summary>
    public List<PendingDelivery> Close()
    {
        lock (_queue)
        {
            _closed = true;
            var unstarted = new List<PendingDelivery>(_queue.Count);
            while (_queue.TryDequeue(out var pending, out _))
            {
                unstarted.Add(pending);
            }

            return unstarted;
        }
    }

    private readonly record struct PrefetchOrder(int Priority, long Sequence)
    {
        public static readonly IComparer<PrefetchOrder> Comparer = new OrderComparer();

        private sealed class OrderComparer : IComparer<PrefetchOrder>
        {
            public int Compare(PrefetchOrder x, PrefetchOrder y)
            {
                // Higher priority first, then first come first served.
                var byPriority = y.Priority.CompareTo(x.Priority);
                return byPriority != 0 ? byPriority : x.Sequence.CompareTo(y.Sequence);
            }
        }
    }
}
