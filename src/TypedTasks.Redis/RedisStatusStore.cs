using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using StackExchange.Redis;
using TypedTasks.Brokers;
using TypedTasks.Redis.Internal;

namespace TypedTasks.Redis;

/// <summary>
/// Status records and progress in one hash per task, <c>P:status:{ID}</c>, tagged by the id like the result key. A
/// read is two hash reads pipelined in one round trip (the record and the outcome); writes are one script call each,
/// on the task's own key. Waiting for progress subscribes to the key's channel first and reads second, like waiting
/// for an outcome.
/// </summary>
internal sealed class RedisStatusStore(IDatabase db, RedisScripts scripts, ISubscriber subscriber, Keyspace keys, RedisBrokerOptions options) : ITaskStatusStore
{
    private static readonly RedisValue[] ProgressFields =
        [Fields.ProgressSequence, Fields.ProgressPercent, Fields.ProgressMessage, Fields.ProgressValue, Fields.ProgressAt];

    public async ValueTask<TaskStatusInfo> GetAsync(string taskId, CancellationToken cancellationToken = default)
    {
        // Both started before either is awaited: one round trip. Awaited together, so a failure of one never leaves
        // the other unobserved.
        var record = db.HashGetAllAsync(keys.Status(taskId));
        var outcome = db.HashGetAllAsync(keys.Result(taskId));
        await RedisFailures.Surfaced(Task.WhenAll(record, outcome)).ConfigureAwait(false);
        var recorded = StatusCodec.Decode(taskId, record.Result);
        var stored = ResultCodec.Decode(outcome.Result);
        return TaskStatusRules.Combine(taskId, recorded, stored, options.TimeProvider.GetUtcNow());
    }

    public async ValueTask<TaskProgressInfo?> GetProgressAsync(string taskId, CancellationToken cancellationToken = default) =>
        Decode(await RedisFailures.Surfaced(db.HashGetAsync(keys.Status(taskId), ProgressFields)).ConfigureAwait(false));

    public ValueTask<TaskProgressInfo?> WaitForProgressAsync(string taskId, long afterSequence, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var key = keys.Status(taskId);
        return NotifiedRead.UntilAsync(
            subscriber,
            key,
            (Db: db, Key: key, After: afterSequence),
            static async s => Decode(await s.Db.HashGetAsync(s.Key, ProgressFields).ConfigureAwait(false)) is { } progress && progress.Sequence > s.After ? progress : null,
            options,
            timeout,
            cancellationToken);
    }

    public async ValueTask<bool> RecordAsync(string taskId, TaskStatusUpdate update, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(update);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeToLive, TimeSpan.Zero);
        var rank = TaskStatusRules.Rank(update);
        var fields = new List<RedisValue>(24);
        StatusCodec.AddUpdate(fields, update, rank == TaskStatusRules.TerminalRank);
        var result = await RedisFailures.Surfaced(scripts.RecordStatusAsync(keys.Status(taskId), rank, Milliseconds(timeToLive), fields)).ConfigureAwait(false);
        return (long)result == 1;
    }

    public async ValueTask<long> ReportProgressAsync(string taskId, TaskProgressUpdate progress, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(progress);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeToLive, TimeSpan.Zero);
        var fields = new List<RedisValue>(8);
        StatusCodec.AddProgress(fields, progress);
        var result = await RedisFailures.Surfaced(scripts.ReportProgressAsync(keys.Status(taskId), Milliseconds(timeToLive), fields)).ConfigureAwait(false);
        return (long)result;
    }

    private static TaskProgressInfo? Decode(RedisValue[] values) =>
        StatusCodec.DecodeProgress(values[0], values[1], values[2], values[3], values[4]);

    private static long Milliseconds(TimeSpan timeToLive) => Math.Max(1, (long)timeToLive.TotalMilliseconds);
}
