using System;
using System.Threading.Tasks;
using StackExchange.Redis;

namespace TypedTasks.LoadTest;

/// <summary>
/// The floor under an awaited one-at-a-time enqueue from .NET: the same loop with nothing but StackExchange.Redis
/// (PING, a plain XADD of the same fields, and an EVAL of a script doing XADD + PUBLISH like TypedTasks' Send
/// script). Comparing enqueue-single with these splits its cost into Redis client round trip, server-side script and
/// TypedTasks' own client work. Not a peer: reported apart from the comparison table.
/// </summary>
internal sealed class RoundTripFloor(IConnectionMultiplexer connection, int n)
{
    private const string XaddPublishScript = """
        local id = redis.call('XADD', KEYS[1], '*', unpack(ARGV, 2))
        if ARGV[1] ~= '' then redis.call('PUBLISH', ARGV[1], '') end
        return id
        """;

    public async Task<ResultLine[]> MeasureAsync()
    {
        var db = connection.GetDatabase();
        var payload = new string('x', 100);
        RedisKey stream = "floor:stream";
        NameValueEntry[] fields =
        [
            new("id", "01JDQ0000000000000000000000"), new("actor", "NoOp"), new("args", "{\"i\":1,\"payload\":\"" + payload + "\"}"),
            new("attempt", 1), new("enq", 1732460000000),
        ];
        RedisValue[] scriptArgs = ["floor:wake", "id", "01JDQ0000000000000000000000", "actor", "NoOp", "args", "{\"i\":1,\"payload\":\"" + payload + "\"}", "attempt", 1, "enq", 1732460000000];

        var ping = await TimeAsync(() => db.PingAsync());
        var xadd = await TimeAsync(() => db.StreamAddAsync(stream, fields, maxLength: 1000, useApproximateMaxLength: true));
        var script = await TimeAsync(() => db.ScriptEvaluateAsync(XaddPublishScript, [stream], scriptArgs));
        await db.KeyDeleteAsync(stream);
        return
        [
            Line("floor-ping", ping, "awaited IDatabase.PingAsync, one at a time"),
            Line("floor-xadd", xadd, "awaited IDatabase.StreamAddAsync of the envelope's 5 fields (MAXLEN ~1000), one at a time"),
            Line("floor-script", script, "awaited ScriptEvaluateAsync of an XADD + PUBLISH script (TypedTasks' Send script), one at a time"),
        ];
    }

    private ResultLine Line(string workload, double rate, string what) =>
        new(workload, n, $"jit; StackExchange.Redis only, no TypedTasks code: {what}; 1000 warm-up calls") { TasksPerSecond = rate };

    private async Task<double> TimeAsync<T>(Func<Task<T>> call)
    {
        for (var i = 0; i < 1000; i++)
        {
            await call();
        }

        var started = Monotonic.NowNs();
        for (var i = 0; i < n; i++)
        {
            await call();
        }

        return Statistics.PerSecond(n, Monotonic.NowNs() - started);
    }
}
