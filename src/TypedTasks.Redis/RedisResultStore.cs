using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using StackExchange.Redis;
using TypedTasks.Redis.Internal;

namespace TypedTasks.Redis;

/// <summary>
/// Task outcomes as Redis hashes with an expiry. Waiting subscribes to the result's notification channel first and
/// reads the key second, so an outcome stored in between is never missed; a slow re-read every
/// <see cref="RedisBrokerOptions.PollInterval"/> covers notifications lost in a reconnect.
/// </summary>
internal sealed class RedisResultStore : ITaskResultStore
{
    private readonly IDatabase _db;
    private readonly RedisScripts _scripts;
    private readonly ISubscriber _subscriber;
    private readonly Keyspace _keys;
    private readonly RedisBrokerOptions _options;
    private readonly CommandRetry _retry;

    public RedisResultStore(IDatabase db, RedisScripts scripts, ISubscriber subscriber, Keyspace keys, RedisBrokerOptions options)
    {
        _db = db;
        _scripts = scripts;
        _retry = new CommandRetry(options, new OutageLog(options.Logger, "Result store", options.TimeProvider));
        _subscriber = subscriber;
        _keys = keys;
        _options = options;
    }

    public async ValueTask SetAsync(string taskId, TaskOutcome outcome, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (timeToLive <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(timeToLive), timeToLive, "Must be positive.");
        }

        var fields = new List<RedisValue>(16);
        ResultCodec.AddFields(fields, outcome);
        // Storing overwrites, so it is retried through an outage like settling a delivery (the worker does not retry).
        await RedisFailures.Surfaced(_retry.RunAsync(
            "storing an outcome",
            (Scripts: _scripts, Key: _keys.Result(taskId), Ttl: Math.Max(1, (long)timeToLive.TotalMilliseconds), Fields: fields),
            static s => s.Scripts.SetResultAsync(s.Key, s.Ttl, s.Fields),
            cancellationToken)).ConfigureAwait(false);
    }

    public async ValueTask<TaskOutcome?> GetAsync(string taskId, CancellationToken cancellationToken = default)
        => ResultCodec.Decode(await RedisFailures.Surfaced(_db.HashGetAllAsync(_keys.Result(taskId))).ConfigureAwait(false));

    public ValueTask<TaskOutcome?> WaitAsync(string taskId, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        NotifiedRead.UntilAsync(
            _subscriber,
            _keys.Result(taskId),
            (Db: _db, Key: _keys.Result(taskId)),
            static async s => ResultCodec.Decode(await s.Db.HashGetAllAsync(s.Key).ConfigureAwait(false)),
            _options,
            timeout,
            cancellationToken);
}
