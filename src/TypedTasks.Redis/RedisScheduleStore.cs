using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using StackExchange.Redis;
using TypedTasks.Brokers;
using TypedTasks.Redis.Internal;

namespace TypedTasks.Redis;

/// <summary>
/// Schedules on Redis (docs/redis.md, "Schedules"). Each schedule's definition and last claimed tick live in
/// <c>{P:Q}:schedule:NAME</c>, in the slot of the queue its messages go to, so the ScheduleClaim script can claim a
/// tick and append its message in one step on Cluster. The names are also listed in <c>P:schedules</c> (name →
/// queue), another slot: that registry is written after the state and removed before it, not atomically with it.
/// </summary>
internal sealed class RedisScheduleStore(IDatabase db, RedisScripts scripts, Keyspace keys, RedisBrokerOptions options) : IScheduleStore
{
    private static readonly RedisValue Cron = "cron";
    private static readonly RedisValue TimeZone = "tz";
    private static readonly RedisValue Actor = "actor";
    private static readonly RedisValue Args = "args";
    private static readonly RedisValue Headers = "h";
    private static readonly RedisValue Declared = "decl";
    private static readonly RedisValue Version = "ver";
    private static readonly RedisValue Last = "last";

    public async ValueTask<bool> SetAsync(TaskSchedule schedule, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        schedule.Validate();
        var size = EnvelopeCodec.SizeOf(EnvelopeCodec.ToFlat(schedule.MessageFor(now, now)));
        if (size > options.MaxPayloadBytes)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"The message of schedule '{schedule.Name}' is {size} bytes; the broker accepts at most {options.MaxPayloadBytes}."),
                nameof(schedule));
        }

        var queue = keys.For(schedule.Queue);
        var previousQueue = (string?)await db.HashGetAsync(keys.Schedules, schedule.Name).ConfigureAwait(false);
        var moved = previousQueue is not null && previousQueue != schedule.Queue;
        RedisValue floor = RedisValue.EmptyString;
        if (moved)
        {
            floor = await db.HashGetAsync(keys.For(previousQueue!).Schedule(schedule.Name), Last).ConfigureAwait(false);
            floor = floor.IsNull ? RedisValue.EmptyString : floor;
        }

        var headers = schedule.Headers is { Count: > 0 } h ? (RedisValue)HeadersJson.Write(h) : RedisValue.EmptyString;
        RedisValue[] args =
        [
            now.ToUnixTimeMilliseconds(), floor, schedule.Cron, schedule.TimeZone ?? string.Empty, schedule.Actor,
            schedule.Arguments, headers, schedule.IsDeclared ? 1 : 0, NewVersion(),
        ];
        var changed = (long)await scripts.ScheduleSetAsync(queue.Schedule(schedule.Name), args).ConfigureAwait(false) == 1;
        await db.HashSetAsync(keys.Schedules, schedule.Name, schedule.Queue).ConfigureAwait(false);
        if (moved)
        {
            await db.KeyDeleteAsync(keys.For(previousQueue!).Schedule(schedule.Name)).ConfigureAwait(false);
        }

        return changed || moved;
    }

    public async ValueTask<bool> RemoveAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        var queue = (string?)await db.HashGetAsync(keys.Schedules, name).ConfigureAwait(false);
        if (queue is null)
        {
            return false;
        }

        // The state first: without it no scheduler can claim another tick, whatever the registry says meanwhile.
        await db.KeyDeleteAsync(keys.For(queue).Schedule(name)).ConfigureAwait(false);
        return await db.HashDeleteAsync(keys.Schedules, name).ConfigureAwait(false);
    }

    public async ValueTask<TaskSchedule?> GetAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        var queue = (string?)await db.HashGetAsync(keys.Schedules, name).ConfigureAwait(false);
        return queue is null ? null : Decode(name, queue, await db.HashGetAllAsync(keys.For(queue).Schedule(name)).ConfigureAwait(false));
    }

    public async ValueTask<IReadOnlyList<TaskSchedule>> ListAsync(CancellationToken cancellationToken = default)
    {
        var registry = await db.HashGetAllAsync(keys.Schedules).ConfigureAwait(false);
        if (registry.Length == 0)
        {
            return Array.Empty<TaskSchedule>();
        }

        // Started together: the multiplexer pipelines them (to several nodes on Cluster).
        var reads = new Task<HashEntry[]>[registry.Length];
        for (var i = 0; i < registry.Length; i++)
        {
            reads[i] = db.HashGetAllAsync(keys.For(registry[i].Value!).Schedule(registry[i].Name!));
        }

        await Task.WhenAll(reads).ConfigureAwait(false);
        var schedules = new List<TaskSchedule>(registry.Length);
        for (var i = 0; i < registry.Length; i++)
        {
            if (Decode(registry[i].Name!, registry[i].Value!, reads[i].Result) is { } schedule)
            {
                schedules.Add(schedule);
            }
        }

        schedules.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        return schedules;
    }

    public async ValueTask<TickClaim> ClaimTickAsync(TaskSchedule schedule, DateTimeOffset tick, bool send, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var queue = keys.For(schedule.Queue);
        var fields = send ? EnvelopeCodec.ToFlat(schedule.MessageFor(tick, now)) : [];
        var result = (RedisResult[])(await scripts.ScheduleClaimAsync(queue, queue.Schedule(schedule.Name), schedule.Version, tick.ToUnixTimeMilliseconds(), send, fields).ConfigureAwait(false))!;
        var status = (TickClaimStatus)(long)result[0];
        var last = long.Parse((string)result[1]!, NumberStyles.Integer, CultureInfo.InvariantCulture);
        return new TickClaim(status, DateTimeOffset.FromUnixTimeMilliseconds(last));
    }

    /// <summary>A version no earlier incarnation of the key had: a scheduler holding a definition read before a remove
    /// and a re-create cannot claim with it.</summary>
    private static long NewVersion() => Random.Shared.NextInt64(1, long.MaxValue);

    private static TaskSchedule? Decode(string name, string queue, HashEntry[] entries)
    {
        if (entries.Length == 0)
        {
            // Removed between the registry read and this one, or a set that stopped before writing the state.
            return null;
        }

        var fields = entries.ToDictionary(static e => e.Name, static e => e.Value);
        var headers = fields.GetValueOrDefault(Headers);
        Dictionary<string, string>? headerMap = null;
        if (!headers.IsNullOrEmpty && !HeadersJson.TryRead(((byte[])headers!).AsSpan(), out headerMap))
        {
            headerMap = null;
        }

        var timeZone = (string?)fields.GetValueOrDefault(TimeZone);
        return new TaskSchedule
        {
            Name = name,
            Cron = (string?)fields.GetValueOrDefault(Cron) ?? string.Empty,
            TimeZone = string.IsNullOrEmpty(timeZone) ? null : timeZone,
            Actor = (string?)fields.GetValueOrDefault(Actor) ?? string.Empty,
            Queue = queue,
            Arguments = (byte[]?)fields.GetValueOrDefault(Args) ?? [],
            Headers = headerMap,
            IsDeclared = (string?)fields.GetValueOrDefault(Declared) == "1",
            Version = (long)fields.GetValueOrDefault(Version),
            LastTick = DateTimeOffset.FromUnixTimeMilliseconds((long)fields.GetValueOrDefault(Last)),
        };
    }
}
