using System;
using System.Collections.Concurrent;
using StackExchange.Redis;

namespace TypedTasks.Redis.Internal;

/// <summary>Builds (and caches) every key name the broker uses.</summary>
internal sealed class Keyspace
{
    private readonly ConcurrentDictionary<string, QueueKeys> _queues = new(StringComparer.Ordinal);
    private readonly string _prefix;
    private readonly string _resultPrefix;
    private readonly string _statusPrefix;
    private readonly string _workflowPrefix;

    public Keyspace(string prefix, string? resultPrefix)
    {
        _prefix = prefix;
        _resultPrefix = resultPrefix ?? prefix + ":result:";
        _statusPrefix = prefix + ":status:";
        _workflowPrefix = prefix + ":wf:";
        Cancelled = prefix + ":cancelled";
        CancelChannelName = prefix + ":cancel";
        CancelChannel = RedisChannel.Literal(prefix + ":cancel");
        Schedules = prefix + ":schedules";
        Queues = prefix + ":queues";
        Workers = prefix + ":workers";
    }

    /// <summary>Sorted set of recently cancelled task ids scored by when their cancellation expires (Unix ms): what a
    /// worker reads at start and after a reconnect.</summary>
    public RedisKey Cancelled { get; }

    /// <summary>Pub/sub channel announcing each cancellation (payload: the task id) to every worker process.</summary>
    public RedisChannel CancelChannel { get; }

    /// <summary>The cancel channel's name as a script argument.</summary>
    public RedisValue CancelChannelName { get; }

    /// <summary>The registry of schedule names (hash: name → queue), for listing. Not in any queue's slot.</summary>
    public RedisKey Schedules { get; }

    /// <summary>The queue registry: a set of every queue name sent to or consumed from (monitoring lists it; no SCAN).</summary>
    public RedisKey Queues { get; }

    /// <summary>The worker registry: a sorted set of consumer names scored by their last heartbeat (Unix ms).</summary>
    public RedisKey Workers { get; }

    /// <summary>One worker's record: a hash with an expiry, rewritten by each heartbeat. The name is the hash tag.</summary>
    public RedisKey Worker(string consumerName) => string.Concat(_prefix, ":worker:{", consumerName, "}");

    public QueueKeys For(string queue)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        return _queues.TryGetValue(queue, out var keys) ? keys : _queues.GetOrAdd(queue, static (q, p) => new QueueKeys(p, q), _prefix);
    }

    /// <summary>The result key of a task. The id is the hash tag, so a result is one slot on Cluster whatever the prefix.</summary>
    public RedisKey Result(string taskId)
    {
        ArgumentException.ThrowIfNullOrEmpty(taskId);
        return string.Concat(_resultPrefix, "{", taskId, "}");
    }

    /// <summary>The status key of a task (also the channel its progress reports are announced on); tagged by the id
    /// like the result key.</summary>
    public RedisKey Status(string taskId)
    {
        ArgumentException.ThrowIfNullOrEmpty(taskId);
        return string.Concat(_statusPrefix, "{", taskId, "}");
    }

    /// <summary>The one key of a workflow: a hash of its steps, counts, outcomes, summary and final state. The workflow
    /// id is the hash tag, so every script of a workflow touches one slot on Cluster, and no other key.</summary>
    public RedisKey Workflow(string workflowId)
    {
        ArgumentException.ThrowIfNullOrEmpty(workflowId);
        return string.Concat(_workflowPrefix, "{", workflowId, "}");
    }
}
