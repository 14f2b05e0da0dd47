using System.Threading;
using StackExchange.Redis;

namespace TypedTasks.Redis.Internal;

/// <summary>The keys of one queue. They share the hash tag <c>{prefix:queue}</c>, so a queue lives in one Cluster
/// slot and a Lua script may touch all of them.</summary>
internal sealed class QueueKeys
{
    private readonly string _uniquePrefix;
    private readonly string _idPrefix;

    public QueueKeys(string prefix, string queue)
    {
        Queue = queue;
        var tag = "{" + prefix + ":" + queue + "}";
        Stream = tag + ":stream";
        Due = tag + ":due";
        DeadLetters = tag + ":dead";
        Consumers = tag + ":consumers";
        _uniquePrefix = tag + ":unique:";
        _idPrefix = tag + ":id:";
        ScheduleKeyPrefix = tag + ":schedule:";
        var wake = tag + ":wake";
        WakeChannelName = wake;
        WakeChannel = RedisChannel.Literal(wake);
    }

    public string Queue { get; }

    /// <summary>The holder of a unique key (value: the task id), with a time to live.</summary>
    public RedisKey Unique(string uniqueKey) => _uniquePrefix + uniqueKey;

    /// <summary>The record of a sender-chosen task id (value: the id), with a time to live.</summary>
    public RedisKey ExplicitId(string taskId) => _idPrefix + taskId;

    private int _registered;

    /// <summary>True exactly once per process and broker (until <see cref="RegistrationFailed"/>): the caller adds the
    /// queue to the registry, so a send pays the SADD on its queue's first message only.</summary>
    public bool ClaimRegistration() => Volatile.Read(ref _registered) == 0 && Interlocked.Exchange(ref _registered, 1) == 0;

    /// <summary>The registry write failed: the next send tries again.</summary>
    public void RegistrationFailed() => Volatile.Write(ref _registered, 0);

    /// <summary>The stream consumers read (entries = runnable messages).</summary>
    public RedisKey Stream { get; }

    /// <summary>Sorted set of due-later messages, scored by due time in Unix milliseconds.</summary>
    public RedisKey Due { get; }

    /// <summary>Stream of dead letters.</summary>
    public RedisKey DeadLetters { get; }

    /// <summary>Sorted set of consumer names scored by their last heartbeat (Unix milliseconds).</summary>
    public RedisKey Consumers { get; }

    /// <summary>Prefix of the state keys of the schedules whose messages go to this queue (<c>{P:Q}:schedule:NAME</c>):
    /// in the queue's slot, so claiming a tick and appending its message are one script on Cluster.</summary>
    public string ScheduleKeyPrefix { get; }

    /// <summary>The state key of schedule <paramref name="name"/>.</summary>
    public RedisKey Schedule(string name) => ScheduleKeyPrefix + name;

    /// <summary>Pub/sub channel that wakes idle consumers (payload empty = new entry, a number = new due time).</summary>
    public RedisChannel WakeChannel { get; }

    /// <summary>The wake channel's name as a script argument.</summary>
    public RedisValue WakeChannelName { get; }
}
