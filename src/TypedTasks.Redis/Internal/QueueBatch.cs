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
}
