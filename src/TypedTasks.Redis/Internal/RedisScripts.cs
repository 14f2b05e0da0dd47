using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using StackExchange.Redis;

namespace TypedTasks.Redis.Internal;

/// <summary>
/// Every multi-step state change of a message is one Lua script, so a crash or a dropped connection between the
/// steps can neither lose nor duplicate it. Each script's text is followed by the one typed method that runs it, which
/// is the only place its KEYS and ARGV are laid out. Each script names every key it touches in KEYS (all of one
/// queue's keys share a hash tag, so this holds on Cluster). StackExchange.Redis sends EVAL once per server and EVALSHA
/// after that, re-sending the text if a restarted server answers NOSCRIPT. docs/redis.md describes each script.
/// </summary>
/// <remarks>
/// The methods run a script once; retrying is <see cref="CommandRetry"/>'s job (the callers decide which calls are
/// worth retrying). Scripts that remove a delivery first XACK it and stop when XACK reports 0: the step already
/// happened (a retried call after a timeout) or the delivery is no longer pending, so re-running a script is always
/// safe.
/// </remarks>
internal sealed class RedisScripts(IDatabase db)
{
    // Splits a due-later member ("<len>:<bytes>" repeated) back into stream fields; nil if it is not well formed.
    private const string FieldsOf = """
        local function fields_of(blob)
          local out, pos, n = {}, 1, #blob
          while pos <= n do
            local colon = string.find(blob, ':', pos, true)
            if not colon then return nil end
            local len = tonumber(string.sub(blob, pos, colon - 1))
            if not len or len < 0 or colon + len > n then return nil end
            out[#out + 1] = string.sub(blob, colon + 1, colon + len)
            pos = colon + len + 1
          end
          if #out == 0 or #out % 2 == 1 then return nil end
          return out
        end
        """;

    /// <summary>
    /// Appends a message and wakes idle consumers. KEYS: stream. ARGV: wake channel (empty: no wake-up, the batch's
    /// last message of the queue sends it), entry fields... Publishing from the script orders the wake-up after the
    /// entry on every topology; a client-side PUBLISH may be routed to another Cluster node and overtake the XADD.
    /// </summary>
    private const string SendText = """
        local id = redis.call('XADD', KEYS[1], '*', unpack(ARGV, 2))
        if ARGV[1] ~= '' then redis.call('PUBLISH', ARGV[1], '') end
        return id
        """;

    /// <summary>Appends one message (<paramref name="fields"/>: the envelope, flat) and wakes idle consumers.</summary>
    public Task<RedisResult> SendAsync(QueueKeys queue, List<RedisValue> fields)
    {
        var args = new RedisValue[fields.Count + 1];
        args[0] = queue.WakeChannelName;
        fields.CopyTo(args, 1);
        return db.ScriptEvaluateAsync(SendText, [queue.Stream], args);
    }

    /// <summary>
    /// Appends a chunk of one queue's messages, in order, and wakes idle consumers once. KEYS: stream. ARGV: wake
    /// channel (empty: no wake-up), then per message its field count followed by its fields. One call per chunk pays
    /// the script and command overhead once instead of per message (see docs/benchmarks.md). Returns how many were
    /// appended.
    /// </summary>
    private const string SendManyText = """
        local pos, n, count = 2, #ARGV, 0
        while pos <= n do
          local fields = tonumber(ARGV[pos])
          redis.call('XADD', KEYS[1], '*', unpack(ARGV, pos + 1, pos + fields))
          pos = pos + fields + 1
          count = count + 1
        end
        if count > 0 and ARGV[1] ~= '' then redis.call('PUBLISH', ARGV[1], '') end
        return count
        """;

    /// <summary>Appends a chunk; <paramref name="args"/> starts with the wake channel (or empty), then per message
    /// its field count and fields.</summary>
    public Task<RedisResult> SendManyAsync(QueueKeys queue, RedisValue[] args) => db.ScriptEvaluateAsync(SendManyText, [queue.Stream], args);

    /// <summary>
    /// Sends one message that needs a duplicate check, as one atomic step: if a guard key (the record of a chosen task
    /// id, the holder of a unique key) exists, returns its value (the existing task's id) and stores nothing; otherwise
    /// sets every guard to this task's id with its time to live, then appends the entry (due now) or adds the due-later
    /// member, and wakes consumers. KEYS: stream, due set, guard keys (one or two; all of the queue's slot). ARGV: wake
    /// channel, due time in ms ('' = now), task id, due-later member ('' when due now), one time to live in ms per
    /// guard key, then the entry's fields (only when due now). Returns nil when the message was stored.
    /// </summary>
    private const string SendGuardedText = """
        for i = 3, #KEYS do
          local holder = redis.call('GET', KEYS[i])
          if holder then return holder end
        end
        for i = 3, #KEYS do
          redis.call('SET', KEYS[i], ARGV[3], 'PX', ARGV[i + 2])
        end
        if ARGV[2] == '' then
          redis.call('XADD', KEYS[1], '*', unpack(ARGV, #KEYS + 3))
          redis.call('PUBLISH', ARGV[1], '')
        else
          redis.call('ZADD', KEYS[2], ARGV[2], ARGV[4])
          redis.call('PUBLISH', ARGV[1], ARGV[2])
        end
        return false
        """;

    /// <summary>Sends a guarded message; returns the existing task's id for a duplicate, <see langword="null"/> when
    /// stored. <paramref name="dueMs"/> 0 = due now (then <paramref name="fields"/> are the entry), else
    /// <paramref name="member"/> is the due-later member.</summary>
    public async Task<string?> SendGuardedAsync(QueueKeys queue, RedisKey[] guards, long[] guardTtlMs, string taskId, long dueMs, byte[]? member, List<RedisValue>? fields)
    {
        var keys = new RedisKey[2 + guards.Length];
        keys[0] = queue.Stream;
        keys[1] = queue.Due;
        guards.CopyTo(keys, 2);
        var args = new RedisValue[4 + guards.Length + (dueMs == 0 ? fields!.Count : 0)];
        args[0] = queue.WakeChannelName;
        args[1] = dueMs == 0 ? RedisValue.EmptyString : dueMs;
        args[2] = taskId;
        args[3] = member ?? RedisValue.EmptyString;
        for (var i = 0; i < guardTtlMs.Length; i++)
        {
            args[4 + i] = guardTtlMs[i];
        }

        if (dueMs == 0)
        {
            fields!.CopyTo(args, 4 + guards.Length);
        }

        var result = await db.ScriptEvaluateAsync(SendGuardedText, keys, args).ConfigureAwait(false);
        return result.IsNull ? null : (string?)result;
    }

    /// <summary>
    /// Releases a unique key if the given task still holds it (a later holder's key is left alone). KEYS: the unique
    /// key. ARGV: task id. Returns 1 when released.
    /// </summary>
    private const string ReleaseUniqueText = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
        return 0
        """;

    /// <summary>Releases <paramref name="uniqueKey"/> if <paramref name="taskId"/> holds it.</summary>
    public Task<RedisResult> ReleaseUniqueAsync(RedisKey uniqueKey, string taskId) => db.ScriptEvaluateAsync(ReleaseUniqueText, [uniqueKey], [taskId]);

    /// <summary>
    /// The first step of a cancellation, on the task id's slot: if an outcome is stored, answers 1 (it is a
    /// cancellation) or 2 (the task finished) and changes nothing; otherwise stores the cancelled outcome with its time
    /// to live and notifies waiters as SetResult does, and answers 0. KEYS: result key. ARGV: time to live (ms), the
    /// outcome's hash fields...
    /// </summary>
    private const string CancelText = """
        if redis.call('EXISTS', KEYS[1]) == 1 then
          if redis.call('HGET', KEYS[1], 'reason') == 'Cancelled' then return 1 end
          return 2
        end
        redis.call('HSET', KEYS[1], unpack(ARGV, 2))
        redis.call('PEXPIRE', KEYS[1], ARGV[1])
        redis.call('PUBLISH', KEYS[1], '1')
        return 0
        """;

    /// <summary>Stores the cancelled outcome unless one is stored; 0 = stored now, 1 = was cancelled, 2 = finished.</summary>
    public async Task<long> CancelAsync(RedisKey resultKey, long timeToLiveMs, List<RedisValue> fields)
    {
        var args = new RedisValue[fields.Count + 1];
        args[0] = timeToLiveMs;
        fields.CopyTo(args, 1);
        return (long)await db.ScriptEvaluateAsync(CancelText, [resultKey], args).ConfigureAwait(false);
    }

    /// <summary>
    /// The second step of a cancellation: records the id in the set every worker reads at start and after a reconnect
    /// (scored by when the cancellation expires), drops expired ids, and announces it on the cancel channel. KEYS:
    /// cancelled set. ARGV: task id, expiry (ms), now (ms), channel.
    /// </summary>
    private const string AnnounceCancelText = """
        redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])
        redis.call('PUBLISH', ARGV[4], ARGV[1])
        return 1
        """;

    /// <summary>Records and announces the cancellation of <paramref name="taskId"/>.</summary>
    public Task<RedisResult> AnnounceCancelAsync(RedisKey cancelledSet, RedisValue channelName, string taskId, long expiresMs, long nowMs)
        => db.ScriptEvaluateAsync(AnnounceCancelText, [cancelledSet], [taskId, expiresMs, nowMs, channelName]);

    /// <summary>
    /// Moves due messages from the due-later set to the stream. KEYS: due set, stream. ARGV: now (ms), limit,
    /// wake channel. Returns { promoted, next due score or -1 }. A member that does not decode is promoted as a
    /// single <c>raw</c> field so the consumer dead-letters it with its bytes intact.
    /// </summary>
    private const string PromoteText = FieldsOf + "\n" + """
        local members = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
        for i = 1, #members do
          local fields = fields_of(members[i]) or { 'raw', members[i] }
          redis.call('XADD', KEYS[2], '*', unpack(fields))
          redis.call('ZREM', KEYS[1], members[i])
        end
        if #members > 0 then redis.call('PUBLISH', ARGV[3], '') end
        local nextDue = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
        return { #members, nextDue[2] or '-1' }
        """;

    /// <summary>Promotes up to <paramref name="limit"/> due messages; returns how many and the next due time (-1: none).</summary>
    public async Task<(long Promoted, double NextDue)> PromoteAsync(QueueKeys queue, long nowMs, int limit)
    {
        var result = await db.ScriptEvaluateAsync(PromoteText, [queue.Due, queue.Stream], [nowMs, limit, queue.WakeChannelName]).ConfigureAwait(false);
        return ((long)result[0], (double)result[1]);
    }

    /// <summary>
    /// Acknowledges and deletes deliveries (Redis 7.0 has no XACKDEL). KEYS: stream. ARGV: group, entry ids...
    /// Returns how many were still pending.
    /// </summary>
    private const string AckText = """
        local acked = redis.call('XACK', KEYS[1], ARGV[1], unpack(ARGV, 2))
        redis.call('XDEL', KEYS[1], unpack(ARGV, 2))
        return acked
        """;

    /// <summary>Acknowledges and deletes <paramref name="entryIds"/>; returns how many were still pending.</summary>
    public async Task<long> AckAsync(QueueKeys queue, RedisValue group, RedisValue[] entryIds)
    {
        var args = new RedisValue[entryIds.Length + 1];
        args[0] = group;
        entryIds.CopyTo(args, 1);
        return (long)await db.ScriptEvaluateAsync(AckText, [queue.Stream], args).ConfigureAwait(false);
    }

    /// <summary>
    /// Schedules the next attempt and removes the current delivery. KEYS: stream, due set. ARGV: group, entry id,
    /// due (ms), now (ms), next attempt as a due-later member, wake channel. Due now: straight onto the stream.
    /// </summary>
    private const string RetryText = FieldsOf + "\n" + """
        if redis.call('XACK', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
        redis.call('XDEL', KEYS[1], ARGV[2])
        if tonumber(ARGV[3]) <= tonumber(ARGV[4]) then
          redis.call('XADD', KEYS[1], '*', unpack(fields_of(ARGV[5])))
          redis.call('PUBLISH', ARGV[6], '')
        else
          redis.call('ZADD', KEYS[2], ARGV[3], ARGV[5])
          redis.call('PUBLISH', ARGV[6], ARGV[3])
        end
        return 1
        """;

    /// <summary>Replaces delivery <paramref name="entryId"/> by <paramref name="member"/> (a due-later member), due at
    /// <paramref name="dueMs"/>; false when the delivery was no longer pending.</summary>
    public async Task<bool> RetryAsync(QueueKeys queue, RedisValue group, RedisValue entryId, long dueMs, long nowMs, byte[] member)
        => (long)await db.ScriptEvaluateAsync(RetryText, [queue.Stream, queue.Due], [group, entryId, dueMs, nowMs, member, queue.WakeChannelName])
            .ConfigureAwait(false) == 1;

    /// <summary>
    /// Moves a delivery to the dead letters. KEYS: stream, dead-letter stream. ARGV: group, entry id, oldest dead-letter
    /// id to keep (age bound), max dead letters (length bound), then the dead letter's fields.
    /// </summary>
    private const string DeadLetterText = """
        if redis.call('XACK', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
        redis.call('XADD', KEYS[2], 'MAXLEN', ARGV[4], '*', unpack(ARGV, 5))
        redis.call('XTRIM', KEYS[2], 'MINID', ARGV[3])
        redis.call('XDEL', KEYS[1], ARGV[2])
        return 1
        """;

    /// <summary>Moves delivery <paramref name="entryId"/> to the dead letters as <paramref name="fields"/> (metadata first);
    /// false when the delivery was no longer pending.</summary>
    public async Task<bool> DeadLetterAsync(QueueKeys queue, RedisValue group, RedisValue entryId, long oldestKeptMs, long maxLength, List<RedisValue> fields)
    {
        var args = new RedisValue[fields.Count + 4];
        args[0] = group;
        args[1] = entryId;
        args[2] = oldestKeptMs.ToString(System.Globalization.CultureInfo.InvariantCulture) + "-0";
        args[3] = maxLength;
        fields.CopyTo(args, 4);
        return (long)await db.ScriptEvaluateAsync(DeadLetterText, [queue.Stream, queue.DeadLetters], args).ConfigureAwait(false) == 1;
    }

    /// <summary>
    /// Hands a delivery back: a copy of the entry (with <c>dc</c> = deliveries so far) goes to the end of the
    /// stream, the original is acknowledged and deleted. KEYS: stream. ARGV: group, entry id, deliveries, wake channel.
    /// </summary>
    private const string ReleaseText = """
        local entry = redis.call('XRANGE', KEYS[1], ARGV[2], ARGV[2])
        if redis.call('XACK', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
        if #entry == 1 then
          local copy, fields = {}, entry[1][2]
          for i = 1, #fields, 2 do
            if fields[i] ~= 'dc' then
              copy[#copy + 1] = fields[i]
              copy[#copy + 1] = fields[i + 1]
            end
          end
          copy[#copy + 1] = 'dc'
          copy[#copy + 1] = ARGV[3]
          redis.call('XADD', KEYS[1], '*', unpack(copy))
          redis.call('XDEL', KEYS[1], ARGV[2])
          redis.call('PUBLISH', ARGV[4], '')
        end
        return 1
        """;

    /// <summary>Hands delivery <paramref name="entryId"/> back to the queue; false when it was no longer pending.</summary>
    public async Task<bool> ReleaseAsync(QueueKeys queue, RedisValue group, RedisValue entryId, int deliveries)
        => (long)await db.ScriptEvaluateAsync(ReleaseText, [queue.Stream], [group, entryId, deliveries, queue.WakeChannelName]).ConfigureAwait(false) == 1;

    /// <summary>
    /// A live consumer's heartbeat: records it in the registry and resets the idle time of its in-flight deliveries
    /// (XCLAIM … JUSTID does not count as a delivery), so crash recovery never takes a running task from a live worker.
    /// KEYS: stream, consumer registry. ARGV: group, consumer, now (ms), in-flight entry ids...
    /// </summary>
    private const string HeartbeatText = """
        redis.call('ZADD', KEYS[2], ARGV[3], ARGV[2])
        if #ARGV > 3 then
          local args = { 'XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0 }
          for i = 4, #ARGV do args[#args + 1] = ARGV[i] end
          args[#args + 1] = 'JUSTID'
          return #redis.call(unpack(args))
        end
        return 0
        """;

    /// <summary>Registers <paramref name="consumer"/> as alive and refreshes its in-flight deliveries.</summary>
    public Task<RedisResult> HeartbeatAsync(QueueKeys queue, RedisValue group, RedisValue consumer, long nowMs, ICollection<string> inFlight)
    {
        var args = new RedisValue[3 + inFlight.Count];
        args[0] = group;
        args[1] = consumer;
        args[2] = nowMs;
        var i = 3;
        foreach (var id in inFlight)
        {
            if (i == args.Length)
            {
                break; // The set grew while we copied; the next heartbeat covers the newcomer.
            }

            args[i++] = id;
        }

        return db.ScriptEvaluateAsync(HeartbeatText, [queue.Stream, queue.Consumers], i == args.Length ? args : args[..i]);
    }

    /// <summary>
    /// Removes consumers whose heartbeat is older than the cutoff, but only once nothing is pending for them any more
    /// (XGROUP DELCONSUMER would drop their pending entries). KEYS: stream, consumer registry. ARGV: group, cutoff (ms).
    /// </summary>
    private const string ReapText = """
        local dead = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', ARGV[2], 'LIMIT', 0, 100)
        local removed = 0
        for i = 1, #dead do
          local pending = redis.pcall('XPENDING', KEYS[1], ARGV[1], '-', '+', 1, dead[i])
          if type(pending) == 'table' and pending.err == nil and #pending == 0 then
            redis.pcall('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], dead[i])
            redis.call('ZREM', KEYS[2], dead[i])
            removed = removed + 1
          end
        end
        return removed
        """;

    /// <summary>Removes consumers silent since before <paramref name="cutoffMs"/> that hold nothing; returns how many.</summary>
    public async Task<long> ReapAsync(QueueKeys queue, RedisValue group, long cutoffMs)
        => (long)await db.ScriptEvaluateAsync(ReapText, [queue.Stream, queue.Consumers], [group, cutoffMs]).ConfigureAwait(false);

    /// <summary>
    /// A consumer leaving: it leaves the group and the registry when nothing is pending for it; otherwise it stays
    /// registered (without further heartbeats) so its entries are recovered and it is reaped later.
    /// KEYS: stream, consumer registry. ARGV: group, consumer.
    /// </summary>
    private const string LeaveText = """
        local pending = redis.pcall('XPENDING', KEYS[1], ARGV[1], '-', '+', 1, ARGV[2])
        if type(pending) == 'table' and pending.err == nil and #pending == 0 then
          redis.pcall('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], ARGV[2])
          redis.call('ZREM', KEYS[2], ARGV[2])
          return 1
        end
        return 0
        """;

    /// <summary>Leaves the group and the registry if nothing is pending for <paramref name="consumer"/>.</summary>
    public async Task<bool> LeaveAsync(QueueKeys queue, RedisValue group, RedisValue consumer)
        => (long)await db.ScriptEvaluateAsync(LeaveText, [queue.Stream, queue.Consumers], [group, consumer]).ConfigureAwait(false) == 1;

    /// <summary>
    /// Sends a dead letter back as a fresh first attempt. KEYS: dead-letter stream, stream. ARGV: dead letter id,
    /// wake channel, the new entry's fields. The XDEL decides: of two concurrent requeues only one adds.
    /// </summary>
    private const string RequeueText = """
        if redis.call('XDEL', KEYS[1], ARGV[1]) == 0 then return 0 end
        redis.call('XADD', KEYS[2], '*', unpack(ARGV, 3))
        redis.call('PUBLISH', ARGV[2], '')
        return 1
        """;

    /// <summary>Sends dead letter <paramref name="deadLetterId"/> back as <paramref name="fields"/>; false when another
    /// requeue (or a purge) was first.</summary>
    public async Task<bool> RequeueAsync(QueueKeys queue, RedisValue deadLetterId, List<RedisValue> fields)
    {
        var args = new RedisValue[fields.Count + 2];
        args[0] = deadLetterId;
        args[1] = queue.WakeChannelName;
        fields.CopyTo(args, 2);
        return (long)await db.ScriptEvaluateAsync(RequeueText, [queue.DeadLetters, queue.Stream], args).ConfigureAwait(false) == 1;
    }

    /// <summary>Deletes the dead letters of a queue. KEYS: dead-letter stream. Returns how many there were.</summary>
    private const string PurgeText = """
        local count = redis.call('XLEN', KEYS[1])
        redis.call('DEL', KEYS[1])
        return count
        """;

    /// <summary>Deletes the queue's dead letters; returns how many there were.</summary>
    public async Task<long> PurgeAsync(QueueKeys queue) => (long)await db.ScriptEvaluateAsync(PurgeText, [queue.DeadLetters]).ConfigureAwait(false);

    // Finds a consumer group's fields in the reply of XINFO GROUPS (a flat name/value list per group): returns
    // found, consumers, pending, last-delivered-id. A missing stream (an error reply) is "not found".
    private const string GroupInfo = """
        local function group_info(stream, group)
          local groups = redis.pcall('XINFO', 'GROUPS', stream)
          if type(groups) ~= 'table' or groups.err ~= nil then return false, 0, 0, nil end
          for _, g in ipairs(groups) do
            local name, consumers, pending, last
            for i = 1, #g, 2 do
              local k = g[i]
              if k == 'name' then name = g[i + 1]
              elseif k == 'consumers' then consumers = g[i + 1]
              elseif k == 'pending' then pending = g[i + 1]
              elseif k == 'last-delivered-id' then last = g[i + 1] end
            end
            if name == group then return true, consumers, pending, last end
          end
          return false, 0, 0, nil
        end
        """;

    /// <summary>
    /// One queue's counts, read together so they agree. KEYS: stream, due set, dead letters, consumer registry.
    /// ARGV: group, now (ms), live cutoff (ms). Returns { keys that exist, stream length, pending, live consumers,
    /// scheduled, scheduled due, dead letters, age of the oldest waiting entry in ms or -1 }. Live consumers are the
    /// registry's members that beat since the cutoff (a consumer joins the group itself only at its first read). Waiting = length - pending: acknowledged entries are deleted, so every
    /// entry is either pending or not yet delivered. The oldest waiting entry is the first after the group's
    /// last-delivered-id; its age comes from its id and the server's TIME, so client clocks do not matter.
    /// </summary>
    private const string QueueStatsText = GroupInfo + "\n" + """
        local exists = redis.call('EXISTS', KEYS[1], KEYS[2], KEYS[3])
        local length = redis.call('XLEN', KEYS[1])
        local found, _, pending, last = group_info(KEYS[1], ARGV[1])
        local consumers = redis.call('ZCOUNT', KEYS[4], ARGV[3], '+inf')
        local age = -1
        if length - pending > 0 then
          local first = redis.call('XRANGE', KEYS[1], found and ('(' .. last) or '-', '+', 'COUNT', 1)
          if #first == 1 then
            local t = redis.call('TIME')
            local ms = tonumber(string.match(first[1][1], '^(%d+)'))
            age = math.max(0, tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) - ms)
          end
        end
        return { exists, length, pending, consumers, redis.call('ZCARD', KEYS[2]),
          redis.call('ZCOUNT', KEYS[2], '-inf', ARGV[2]), redis.call('XLEN', KEYS[3]), age }
        """;

    /// <summary>Reads one queue's counts (see the script).</summary>
    public async Task<long[]> QueueStatsAsync(QueueKeys queue, RedisValue group, long nowMs, long liveCutoffMs)
    {
        var result = (RedisResult[])(await db.ScriptEvaluateAsync(
            QueueStatsText, [queue.Stream, queue.Due, queue.DeadLetters, queue.Consumers], [group, nowMs, liveCutoffMs])
            .ConfigureAwait(false))!;
        var values = new long[result.Length];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (long)result[i];
        }

        return values;
    }

    /// <summary>
    /// Removes a batch of a queue's waiting entries: those after the group's last-delivered-id (all entries when
    /// the group does not exist), so deliveries in flight stay pending and finish normally. KEYS: stream, due set.
    /// ARGV: group, batch size, 1 to also delete the due set (the first call). Returns { entries removed,
    /// scheduled removed, 1 if more may remain }. Batched so one call never holds Redis for long.
    /// </summary>
    private const string PurgeQueueText = GroupInfo + "\n" + """
        local scheduled = 0
        if ARGV[3] == '1' then
          scheduled = redis.call('ZCARD', KEYS[2])
          redis.call('UNLINK', KEYS[2])
        end
        local found, _, _, last = group_info(KEYS[1], ARGV[1])
        local batch = tonumber(ARGV[2])
        local entries = redis.call('XRANGE', KEYS[1], found and ('(' .. last) or '-', '+', 'COUNT', batch)
        local ids = {}
        for i = 1, #entries do ids[i] = entries[i][1] end
        if #ids > 0 then redis.call('XDEL', KEYS[1], unpack(ids)) end
        return { #ids, scheduled, #ids == batch and 1 or 0 }
        """;

    /// <summary>Removes up to <paramref name="batch"/> waiting entries (and, when <paramref name="withDue"/>, the due set).</summary>
    public async Task<(long Waiting, long Scheduled, bool More)> PurgeQueueAsync(QueueKeys queue, RedisValue group, int batch, bool withDue)
    {
        var result = (RedisResult[])(await db.ScriptEvaluateAsync(PurgeQueueText, [queue.Stream, queue.Due], [group, batch, withDue ? 1 : 0])
            .ConfigureAwait(false))!;
        return ((long)result[0], (long)result[1], (long)result[2] == 1);
    }

    /// <summary>
    /// Stores an outcome and notifies waiters. KEYS: result key. ARGV: time to live (ms), hash fields...
    /// The notification goes to a channel named like the key, published after the write so a waiter that
    /// subscribes first and then reads can miss nothing.
    /// </summary>
    private const string SetResultText = """
        redis.call('DEL', KEYS[1])
        redis.call('HSET', KEYS[1], unpack(ARGV, 2))
        redis.call('PEXPIRE', KEYS[1], ARGV[1])
        redis.call('PUBLISH', KEYS[1], '1')
        return 1
        """;

    /// <summary>Stores an outcome under <paramref name="key"/> for <paramref name="timeToLiveMs"/> and notifies waiters.</summary>
    public Task<RedisResult> SetResultAsync(RedisKey key, long timeToLiveMs, List<RedisValue> fields)
    {
        var args = new RedisValue[fields.Count + 1];
        args[0] = timeToLiveMs;
        fields.CopyTo(args, 1);
        return db.ScriptEvaluateAsync(SetResultText, [key], args);
    }

    /// <summary>
    /// Records a status update unless the stored one outranks it (TaskStatusRules: a terminal rank is final, a lower
    /// rank is late). KEYS: status key. ARGV: rank, ttl ms, fields... One script on the task's own key, so two workers'
    /// writes cannot interleave between the check and the write.
    /// </summary>
    private const string RecordStatusText = """
        local stored = redis.call('HGET', KEYS[1], 'rk')
        if stored then
          stored = tonumber(stored)
          if stored == 2147483647 or tonumber(ARGV[1]) < stored then return 0 end
        end
        redis.call('HSET', KEYS[1], 'rk', ARGV[1], unpack(ARGV, 3))
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        return 1
        """;

    /// <summary>Records a status update (<paramref name="fields"/>: flat pairs) at <paramref name="rank"/>; 1 if recorded.</summary>
    public Task<RedisResult> RecordStatusAsync(RedisKey key, int rank, long timeToLiveMs, List<RedisValue> fields)
    {
        var args = new RedisValue[fields.Count + 2];
        args[0] = rank;
        args[1] = timeToLiveMs;
        fields.CopyTo(args, 2);
        return db.ScriptEvaluateAsync(RecordStatusText, [key], args);
    }

    /// <summary>
    /// Stores a progress report and announces it. KEYS: status key. ARGV: ttl ms, fields... Numbers the report
    /// (HINCRBY ps) and publishes the number on the key's own channel after the write, so a waiter that subscribed
    /// before reading never misses it.
    /// </summary>
    private const string ReportProgressText = """
        local seq = redis.call('HINCRBY', KEYS[1], 'ps', 1)
        redis.call('HSET', KEYS[1], unpack(ARGV, 2))
        redis.call('PEXPIRE', KEYS[1], ARGV[1])
        redis.call('PUBLISH', KEYS[1], seq)
        return seq
        """;

    /// <summary>Stores a progress report (<paramref name="fields"/>: flat pairs); returns its sequence number.</summary>
    public Task<RedisResult> ReportProgressAsync(RedisKey key, long timeToLiveMs, List<RedisValue> fields)
    {
        var args = new RedisValue[fields.Count + 1];
        args[0] = timeToLiveMs;
        fields.CopyTo(args, 1);
        return db.ScriptEvaluateAsync(ReportProgressText, [key], args);
    }

    /// <summary>
    /// Creates or changes a schedule's state. KEYS: state (<c>{P:Q}:schedule:NAME</c>). ARGV: now ms, floor ms (the
    /// last tick of the schedule's previous key when it moved queue, or empty), cron, time zone, actor, args, headers
    /// JSON (or empty), declared (1/0), new version. An equal definition changes nothing (returns 0): a scheduler that
    /// writes its declared schedules at every start keeps their missed-tick catch-up. Otherwise `last` becomes the
    /// largest of now, the stored value and the floor, so a changed schedule fires from the next tick after the
    /// change and never repeats one; returns 1.
    /// </summary>
    private const string ScheduleSetText = """
        local cur = redis.call('HMGET', KEYS[1], 'cron', 'tz', 'actor', 'args', 'h', 'decl', 'ver', 'last')
        if cur[7] and cur[1] == ARGV[3] and cur[2] == ARGV[4] and cur[3] == ARGV[5] and cur[4] == ARGV[6]
           and cur[5] == ARGV[7] and cur[6] == ARGV[8] then
          return 0
        end
        local last = tonumber(ARGV[1])
        if cur[8] and tonumber(cur[8]) > last then last = tonumber(cur[8]) end
        if ARGV[2] ~= '' and tonumber(ARGV[2]) > last then last = tonumber(ARGV[2]) end
        redis.call('HSET', KEYS[1], 'cron', ARGV[3], 'tz', ARGV[4], 'actor', ARGV[5], 'args', ARGV[6], 'h', ARGV[7],
          'decl', ARGV[8], 'ver', ARGV[9], 'last', string.format('%.0f', last))
        return 1
        """;

    /// <summary>Writes a schedule's state; returns whether it changed.</summary>
    public Task<RedisResult> ScheduleSetAsync(RedisKey state, RedisValue[] args) => db.ScriptEvaluateAsync(ScheduleSetText, [state], args);

    /// <summary>
    /// Claims one tick of a schedule and appends its message, atomically. KEYS: state, stream (one slot: the
    /// schedule's queue). ARGV: version the caller read, tick ms, send (1/0), wake channel, entry fields... Returns
    /// {status, last}: 0 claimed (and the entry appended when send = 1), 1 already claimed (last ≥ tick), 2 changed
    /// (another version), 3 removed. `last` only grows, so no tick is claimed twice, by any number of schedulers.
    /// </summary>
    private const string ScheduleClaimText = """
        local cur = redis.call('HMGET', KEYS[1], 'ver', 'last')
        if not cur[1] then return {3, '0'} end
        if cur[1] ~= ARGV[1] then return {2, cur[2] or '0'} end
        if tonumber(cur[2]) >= tonumber(ARGV[2]) then return {1, cur[2]} end
        redis.call('HSET', KEYS[1], 'last', ARGV[2])
        if ARGV[3] == '1' then
          redis.call('XADD', KEYS[2], '*', unpack(ARGV, 5))
          redis.call('PUBLISH', ARGV[4], '')
        end
        return {0, ARGV[2]}
        """;

    /// <summary>Claims a tick; <paramref name="fields"/> is the tick's message, flat.</summary>
    public Task<RedisResult> ScheduleClaimAsync(QueueKeys queue, RedisKey state, long version, long tick, bool send, List<RedisValue> fields)
    {
        var args = new RedisValue[fields.Count + 4];
        args[0] = version;
        args[1] = tick;
        args[2] = send ? 1 : 0;
        args[3] = queue.WakeChannelName;
        fields.CopyTo(args, 4);
        return db.ScriptEvaluateAsync(ScheduleClaimText, [state, queue.Stream], args);
    }

    // Workflows. Each script's only key is the workflow's hash P:wf:{ID} (fields: docs/redis.md, "Workflow hash
    // fields"), so on Cluster each touches the slot of the workflow id and nothing else. They start with the '#!lua'
    // line (Redis 7.0 script flags): Redis then holds a script to the slot of its declared key and refuses one that
    // reaches another (RedisWorkflowLayoutTests shows it); the read-only ones say flags=no-writes. A step's fields are
    // named by its index in decimal ('n:', 'w:', 'f:', 'o:' followed by the index), exactly as
    // WorkflowRecordCodec.StepField.

    /// <summary>
    /// Stores a new workflow unless its key exists. KEYS: workflow hash. ARGV: ttl ms, step count n, summary, then per
    /// step its definition and how many steps it waits for (2n values). Returns 1 when stored, 0 when the id was taken
    /// (nothing written). The fields are written in chunks of 500 pairs: Lua's <c>unpack</c> cannot spread the 20,000
    /// and more values of a 10,000-step workflow onto one call's stack (about 8,000 at most).
    /// </summary>
    private const string CreateWorkflowText = """
        #!lua
        if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
        local n = tonumber(ARGV[2])
        redis.call('HSET', KEYS[1], 'count', ARGV[2], 'sum', ARGV[3])
        local chunk = {}
        for i = 0, n - 1 do
          chunk[#chunk + 1] = 'n:' .. i
          chunk[#chunk + 1] = ARGV[4 + 2 * i]
          chunk[#chunk + 1] = 'w:' .. i
          chunk[#chunk + 1] = ARGV[5 + 2 * i]
          if #chunk >= 1000 then
            redis.call('HSET', KEYS[1], unpack(chunk))
            chunk = {}
          end
        end
        if #chunk > 0 then redis.call('HSET', KEYS[1], unpack(chunk)) end
        redis.call('PEXPIRE', KEYS[1], ARGV[1])
        return 1
        """;

    /// <summary>Stores a workflow (<paramref name="stepsAndWaiting"/>: per step its definition and waiting count, flat)
    /// unless one is stored under the key; true when stored.</summary>
    public async Task<bool> CreateWorkflowAsync(RedisKey workflow, long timeToLiveMs, int count, ReadOnlyMemory<byte> summary, RedisValue[] stepsAndWaiting)
    {
        var args = new RedisValue[stepsAndWaiting.Length + 3];
        args[0] = timeToLiveMs;
        args[1] = count;
        args[2] = summary;
        stepsAndWaiting.CopyTo(args, 3);
        return (long)await db.ScriptEvaluateAsync(CreateWorkflowText, [workflow], args).ConfigureAwait(false) == 1;
    }

    /// <summary>
    /// Records a step's outcome, first wins, and counts it off its dependants once. KEYS: workflow hash. ARGV: ttl ms,
    /// step, encoded outcome, failed (1/0), dependants... No key → nil (nothing written: an expired workflow stays
    /// gone). A step or dependant outside 0..count-1 → -1 (nothing written). Otherwise <c>HSETNX o:step</c>; only when
    /// that set the field, per dependant <c>HINCRBY w:d -1</c> and, for a failure, <c>HINCRBY f:d 1</c>. Then always
    /// renews the expiry (<c>PEXPIRE</c> when less than the ttl is left: renewing never shortens it) and returns
    /// { final or '', then per dependant its w and f }. The record and the counts are one step, so a dependant is
    /// counted off exactly once however often, and by however many workers, the call repeats.
    /// </summary>
    private const string CompleteWorkflowStepText = """
        #!lua
        local n = redis.call('HGET', KEYS[1], 'count')
        if not n then return false end
        n = tonumber(n)
        for i = 2, #ARGV do
          if i == 2 or i >= 5 then
            local s = tonumber(ARGV[i])
            if not s or s < 0 or s >= n then return -1 end
          end
        end
        if redis.call('HSETNX', KEYS[1], 'o:' .. ARGV[2], ARGV[3]) == 1 then
          for i = 5, #ARGV do
            redis.call('HINCRBY', KEYS[1], 'w:' .. ARGV[i], -1)
            if ARGV[4] == '1' then redis.call('HINCRBY', KEYS[1], 'f:' .. ARGV[i], 1) end
          end
        end
        local left = redis.call('PTTL', KEYS[1])
        if left >= 0 and left < tonumber(ARGV[1]) then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
        local out = { redis.call('HGET', KEYS[1], 'final') or '' }
        for i = 5, #ARGV do
          out[#out + 1] = tonumber(redis.call('HGET', KEYS[1], 'w:' .. ARGV[i]) or '0')
          out[#out + 1] = tonumber(redis.call('HGET', KEYS[1], 'f:' .. ARGV[i]) or '0')
        end
        return out
        """;

    /// <summary>Records <paramref name="step"/>'s outcome (first wins) and counts it off <paramref name="dependants"/>;
    /// nil when no workflow is stored, -1 for a step outside it, else { final or '', per dependant w, f }.</summary>
    public Task<RedisResult> CompleteWorkflowStepAsync(RedisKey workflow, long timeToLiveMs, int step, byte[] outcome, bool failed, IReadOnlyList<int> dependants)
    {
        var args = new RedisValue[dependants.Count + 4];
        args[0] = timeToLiveMs;
        args[1] = step;
        args[2] = outcome;
        args[3] = failed ? 1 : 0;
        for (var i = 0; i < dependants.Count; i++)
        {
            args[4 + i] = dependants[i];
        }

        return db.ScriptEvaluateAsync(CompleteWorkflowStepText, [workflow], args);
    }

    /// <summary>
    /// Decides a workflow's final state, first wins. KEYS: workflow hash. ARGV: ttl ms, encoded final state. No key →
    /// nil. Otherwise <c>HSETNX final</c>, <c>PEXPIRE</c> (the given time to live, whoever decided), and returns the
    /// final state that stands.
    /// </summary>
    private const string FinishWorkflowText = """
        #!lua
        if redis.call('EXISTS', KEYS[1]) == 0 then return false end
        redis.call('HSETNX', KEYS[1], 'final', ARGV[2])
        redis.call('PEXPIRE', KEYS[1], ARGV[1])
        return redis.call('HGET', KEYS[1], 'final')
        """;

    /// <summary>Decides the final state unless decided; the one that stands, or nil when no workflow is stored.</summary>
    public Task<RedisResult> FinishWorkflowAsync(RedisKey workflow, long timeToLiveMs, byte[] final) =>
        db.ScriptEvaluateAsync(FinishWorkflowText, [workflow], [timeToLiveMs, final]);

    /// <summary>
    /// Every step's definition, in index order. KEYS: workflow hash. Returns nil when no workflow is stored. A script
    /// because the steps' field names follow from <c>count</c>, read in the same call; no <c>HGETALL</c>, which would
    /// also carry every outcome.
    /// </summary>
    private const string WorkflowStepsText = """
        #!lua flags=no-writes
        local n = redis.call('HGET', KEYS[1], 'count')
        if not n then return false end
        local out = {}
        for i = 0, tonumber(n) - 1 do
          out[i + 1] = redis.call('HGET', KEYS[1], 'n:' .. i) or ''
        end
        return out
        """;

    /// <summary>Every step's definition in index order; nil when no workflow is stored.</summary>
    public Task<RedisResult> WorkflowStepsAsync(RedisKey workflow) => db.ScriptEvaluateAsync(WorkflowStepsText, [workflow]);

    /// <summary>
    /// A workflow's state at one moment, read-only. KEYS: workflow hash. Returns nil when no workflow is stored, else
    /// { summary, final or '', then per step in index order: w, o or '' } — one call, so the counts, outcomes and final
    /// state agree with each other.
    /// </summary>
    private const string WorkflowSnapshotText = """
        #!lua flags=no-writes
        local n = redis.call('HGET', KEYS[1], 'count')
        if not n then return false end
        local out = { redis.call('HGET', KEYS[1], 'sum') or '', redis.call('HGET', KEYS[1], 'final') or '' }
        for i = 0, tonumber(n) - 1 do
          out[#out + 1] = redis.call('HGET', KEYS[1], 'w:' .. i) or '0'
          out[#out + 1] = redis.call('HGET', KEYS[1], 'o:' .. i) or ''
        end
        return out
        """;

    /// <summary>The workflow's summary, final state, counts and outcomes; nil when no workflow is stored.</summary>
    public Task<RedisResult> WorkflowSnapshotAsync(RedisKey workflow) => db.ScriptEvaluateAsync(WorkflowSnapshotText, [workflow]);
}
