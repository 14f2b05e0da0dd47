using System;
using System.Collections.Generic;

namespace TypedTasks.Brokers;

/// <summary>What a consumer reads.</summary>
public sealed class ConsumerOptions
{
    /// <summary>The queues to read, in order of preference.</summary>
    public required IReadOnlyList<string> Queues { get; init; }

    /// <summary>A name unique to this consumer among live workers (default: host name, process id and a random suffix).</summary>
    public string? ConsumerName { get; init; }

    /// <summary>At most this many messages are fetched per read.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>The clock; tests inject a fake one.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>How many of this consumer's deliveries are running right now, as monitoring reports it
    /// (<c>WorkerInfo.Running</c>); the <c>TaskWorker</c> sets it. <see langword="null"/>: the broker reports the
    /// deliveries the consumer holds instead. Read on the broker's heartbeat, never per message.</summary>
    public Func<int>? RunningCount { get; init; }
}
