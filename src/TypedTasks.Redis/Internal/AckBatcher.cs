using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using StackExchange.Redis;

namespace TypedTasks.Redis.Internal;

/// <summary>
/// Coalesces acknowledgements of one queue without delaying any: the first ack is sent at once; acks that arrive while
/// it is on the wire travel together in the next script call. A busy worker thus acknowledges many deliveries per
/// round trip, an idle one pays no extra latency.
/// </summary>
internal sealed class AckBatcher
{
    private const int MaxBatch = 512;

    private readonly Func<RedisValue[], Task> _send;
    private readonly Lock _gate = new();
    private List<(RedisValue Id, TaskCompletionSource Done)> _queued = new();
    private bool _sending;

    /// <param name="send">Acknowledges and deletes the given entry ids (the Ack script, with its own retries).</param>
    public AckBatcher(Func<RedisValue[], Task> send) => _send = send;

    public Task AckAsync(RedisValue entryId)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        bool start;
        lock (_gate)
        {
            _queued.Add((entryId, done));
            start = !_sending;
            _sending = true;
        }

        if (start)
        {
            _ = SendLoopAsync();
        }

        return done.Task;
    }

    private async Task SendLoopAsync()
    {
        while (true)
        {
            List<(RedisValue Id, TaskCompletionSource Done)> batch;
            lock (_gate)
            {
                if (_queued.Count == 0)
                {
                    _sending = false;
                    return;
                }

                if (_queued.Count <= MaxBatch)
                {
                    batch = _queued;
                    _queued = new List<(RedisValue, TaskCompletionSource)>();
                }
                else
                {
                    batch = _queued.GetRange(0, MaxBatch);
                    _queued.RemoveRange(0, MaxBatch);
                }
            }

            var ids = new RedisValue[batch.Count];
            for (var i = 0; i < ids.Length; i++)
            {
                ids[i] = batch[i].Id;
            }

            try
            {
                await _send(ids).ConfigureAwait(false);
                foreach (var (_, done) in batch)
                {
                    done.TrySetResult();
                }
            }
            catch (Exception ex)
            {
                foreach (var (_, done) in batch)
                {
                    done.TrySetException(ex);
                }
            }
        }
    }
}
