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

    // Dead letters read per XRANGE when scanning with a filter: bounded by DeadLetterMaxLength (10,000) in all.
    private const int ScanChunk = 200;

    // Most dead letters one XRANGE of a listing reads.
    private const int MaxReadChunk = 1000;

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

    public async ValueTask<DeadLetterPage> ListPageAsync(string queue, DeadLetterQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(query.Count, nameof(query));
        if (query.After is { } after && !IsEntryId(after))
        {
            throw new ArgumentException($"'{after}' is not a dead-letter id (a Redis stream id such as 1700000000000-0).", nameof(query));
        }

        var key = _keys.For(queue).DeadLetters;
        var items = new List<DeadLetter>(Math.Min(query.Count, 1000));
        // One more than the page without a filter, so a full page knows whether another follows; with a filter,
        // chunks of at least ScanChunk entries until the page is full or the stream ends.
        // Capped, so a huge Count reads in bounded XRANGE calls (and Count + 1 cannot overflow).
        var chunk = Math.Min(query.Count, MaxReadChunk) + 1;
        chunk = query.Filter is null ? chunk : Math.Max(chunk, ScanChunk);
        RedisValue start = query.After is null ? "-" : "(" + query.After;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var entries = await _db.StreamRangeAsync(key, start, "+", chunk).ConfigureAwait(false);
            foreach (var entry in entries)
            {
                var letter = DeadLetterCodec.Decode(queue, entry);
                if (query.Filter is { } filter && !filter.Matches(letter))
                {
                    continue;
                }

                if (items.Count == query.Count)
                {
                    return new DeadLetterPage { Items = items, Next = items[^1].Id };
                }

                items.Add(letter);
            }

            if (entries.Length < chunk)
            {
                return new DeadLetterPage { Items = items };
            }

            start = "(" + entries[^1].Id;
        }
    }

    public async ValueTask<DeadLetter?> GetAsync(string queue, string deadLetterId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deadLetterId);
        if (!IsEntryId(deadLetterId))
        {
            return null;
        }

        var found = await _db.StreamRangeAsync(_keys.For(queue).DeadLetters, deadLetterId, deadLetterId).ConfigureAwait(false);
        return found.Length == 0 ? null : DeadLetterCodec.Decode(queue, found[0]);
    }

    public async ValueTask<bool> DeleteAsync(string queue, string deadLetterId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(deadLetterId);
        return IsEntryId(deadLetterId)
            && await _db.StreamDeleteAsync(_keys.For(queue).DeadLetters, [deadLetterId]).ConfigureAwait(false) == 1;
    }

    public async ValueTask<long> RequeueMatchingAsync(string queue, DeadLetterFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var requeued = 0L;
        await foreach (var chunk in MatchingAsync(queue, filter, cancellationToken).ConfigureAwait(false))
        {
            // Each requeue is its own atomic step (DEL of the stale outcome, then the Requeue script); a chunk is
            // started together so the multiplexer pipelines it.
            var requeues = new List<Task<bool>>(chunk.Count);
            foreach (var letter in chunk)
            {
                if (letter.Message is not null)
                {
                    requeues.Add(RequeueAsync(queue, letter.Id, cancellationToken).AsTask());
                }
            }

            foreach (var done in await Task.WhenAll(requeues).ConfigureAwait(false))
            {
                requeued += done ? 1 : 0;
            }
        }

        return requeued;
    }

    public async ValueTask<long> PurgeMatchingAsync(string queue, DeadLetterFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var key = _keys.For(queue).DeadLetters;
        var purged = 0L;
        await foreach (var chunk in MatchingAsync(queue, filter, cancellationToken).ConfigureAwait(false))
        {
            if (chunk.Count == 0)
            {
                continue;
            }

            var ids = new RedisValue[chunk.Count];
            for (var i = 0; i < ids.Length; i++)
            {
                ids[i] = chunk[i].Id;
            }

            purged += await _db.StreamDeleteAsync(key, ids).ConfigureAwait(false);
        }

        return purged;
    }

    /// <summary>The dead letters <paramref name="filter"/> matches, a chunk of the stream at a time (XRANGE with an
    /// exclusive start, so acting on a chunk never disturbs the cursor).</summary>
    private async IAsyncEnumerable<List<DeadLetter>> MatchingAsync(
        string queue, DeadLetterFilter filter, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var key = _keys.For(queue).DeadLetters;
        RedisValue start = "-";
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var entries = await _db.StreamRangeAsync(key, start, "+", ScanChunk).ConfigureAwait(false);
            var matching = new List<DeadLetter>(entries.Length);
            foreach (var entry in entries)
            {
                var letter = DeadLetterCodec.Decode(queue, entry);
                if (filter.Matches(letter))
                {
                    matching.Add(letter);
                }
            }

            yield return matching;
            if (entries.Length < ScanChunk)
            {
                yield break;
            }

            start = "(" + entries[^1].Id;
        }
    }

    /// <summary>A stream id as Redis writes it (<c>ms-seq</c>) or its short form (<c>ms</c>); anything else would
    /// make XRANGE fail with a syntax error.</summary>
    private static bool IsEntryId(string id)
    {
        var dash = id.IndexOf('-', StringComparison.Ordinal);
        return dash < 0
            ? IsDigits(id)
            : IsDigits(id.AsSpan(0, dash)) && IsDigits(id.AsSpan(dash + 1));

        static bool IsDigits(ReadOnlySpan<char> text)
        {
            if (text.IsEmpty || text.Length > 20)
            {
                return false;
            }

            foreach (var c in text)
            {
                if (c is < '0' or > '9')
                {
                    return false;
                }
            }

            return true;
        }
    }
}
