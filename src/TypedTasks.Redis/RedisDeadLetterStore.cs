using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using StackExchange.Redis;
using TypedTasks.Redis.Internal;

namespace TypedTasks.Redis;

/// <summary>Dead letters live in one stream per queue (<c>{prefix:queue}:dead</c>), bounded by age and length.</summary>
internal sealed class RedisDeadLetterStore : IDeadLetterStore
{
    private readonly IDatabase _db;
    private readonly RedisScripts _scripts;
    private readonly Keyspace _keys;
    private readonly RedisBrokerOptions _options;

    public RedisDeadLetterStore(IDatabase db, RedisScripts scripts, Keyspace keys, RedisBrokerOptions options)
    {
        _db = db;
        _scripts = scripts;
        _keys = keys;
        _options = options;
    }

    public async ValueTask<IReadOnlyList<DeadLetter>> ListAsync(string queue, int count = 100, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var entries = await _db.StreamRangeAsync(_keys.For(queue).DeadLetters, count: count).ConfigureAwait(false);
        var letters = new DeadLetter[entries.Length];
        for (var i = 0; i < entries.Length; i++)
        {
            letters[i] = DeadLetterCodec.Decode(queue, entries[i]);
        }

        return letters;
    }

    public async ValueTask<bool> RequeueAsync(string queue, string deadLetterId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(deadLetterId);
        var keys = _keys.For(queue);
        StreamEntry[] found;
        try
        {
            found = await _db.StreamRangeAsync(keys.DeadLetters, deadLetterId, deadLetterId).ConfigureAwait(false);
        }
        catch (RedisServerException)
        {
            return false; // Not a stream id at all.
        }

        if (found.Length == 0 || DeadLetterCodec.Decode(queue, found[0]).Message is not { } message)
        {
            return false;
        }

        var fresh = message with
        {
            Attempt = 1,
            DueAt = null,
            EnqueuedAt = _options.TimeProvider.GetUtcNow(),
        };
        // The failed outcome of the dead-lettered run goes first, or a caller waiting on the same task id right after
        // the requeue would see the stale failure. It lives in another slot (results are tagged by task id), so it
        // cannot join the requeue script on a Cluster; deleting it before the requeue means the new run's outcome
        // can never be the one removed.
        // The status record goes with it (a terminal state is final, so the new run could not record over it).
        var status = _db.KeyDeleteAsync(_keys.Status(message.Id));
        await _db.KeyDeleteAsync(_keys.Result(message.Id)).ConfigureAwait(false);
        await status.ConfigureAwait(false);
        return await _scripts.RequeueAsync(keys, deadLetterId, EnvelopeCodec.ToFlat(fresh)).ConfigureAwait(false);
    }

    public async ValueTask<long> PurgeAsync(string queue, CancellationToken cancellationToken = default)
        => await _scripts.PurgeAsync(_keys.For(queue)).ConfigureAwait(false);
}
