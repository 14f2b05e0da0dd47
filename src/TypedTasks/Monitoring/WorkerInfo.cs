using System;
using System.Collections.Generic;

namespace TypedTasks.Monitoring;

/// <summary>A live worker (one consumer of the broker), as <see cref="ITaskMonitor.GetWorkersAsync"/> reports it.</summary>
public sealed record WorkerInfo
{
    /// <summary>The consumer's name (unique among live workers).</summary>
    public required string Name { get; init; }

    /// <summary>The machine it runs on.</summary>
    public required string Host { get; init; }

    /// <summary>Its process id on <see cref="Host"/>.</summary>
    public required int ProcessId { get; init; }

    /// <summary>The queues it consumes, in its order of preference.</summary>
    public required IReadOnlyList<string> Queues { get; init; }

    /// <summary>When it started consuming.</summary>
    public required DateTimeOffset StartedAt { get; init; }

    /// <summary>Its last heartbeat (Redis: every <c>HeartbeatInterval</c>; in memory: now, while it is open).</summary>
    public required DateTimeOffset LastHeartbeat { get; init; }

    /// <summary>Attempts it was running at <see cref="LastHeartbeat"/> (for a bare consumer without a worker: the
    /// deliveries it held).</summary>
    public required int Running { get; init; }
}
