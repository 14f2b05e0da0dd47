using System.Collections.Generic;
using StackExchange.Redis;

namespace TypedTasks.Redis.Internal;

/// <summary>The messages of one <c>SendManyAsync</c> call that go to one queue, split by when they are due.</summary>
internal sealed class QueueBatch(QueueKeys keys)
{
    public QueueKeys Keys { get; } = keys;

    /// <summary>Envelopes for the stream, in the caller's order.</summary>
    public List<List<RedisValue>> Immediate { get; } = [];

    /// <summary>Due-later members with their due times.</summary>
    public List<SortedSetEntry> Scheduled { get; } = [];

    /// <summary>Messages that need a duplicate check (a chosen id, a unique key), each sent by its own script call
    /// after the <see cref="Immediate"/> entries that precede it (<see cref="GuardedSend.Position"/>), so the queue
    /// keeps the batch's order.</summary>
    public List<GuardedSend> Guarded { get; } = [];
}

/// <summary>One guarded message of a batch: its index in the batch, how many plain immediate entries of its queue
/// precede it, and the message.</summary>
internal readonly record struct GuardedSend(int Index, int Position, TaskMessage Message, List<RedisValue> Flat);
