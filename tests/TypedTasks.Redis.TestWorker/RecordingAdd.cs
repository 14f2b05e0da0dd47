using System;
using System.Buffers;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using StackExchange.Redis;
using TypedTasks.Generated;

namespace TypedTasks.Redis.TestWorker;

/// <summary>
/// The workflow crash tests' actor, compiled into both the worker process and the test assembly (two deployments of
/// one actor): returns the sum of every number in its arguments, and counts each run in Redis (<c>INCR</c> of
/// <see cref="RunsKey"/> per <c>label</c> argument), so the test sees runs of a process it killed.
/// </summary>
public sealed class RecordingAdd : ActorDescriptor
{
    public const string ActorName = "wfc.add";

    /// <summary>The failing variant's name (<see cref="Failing"/>).</summary>
    public const string FailingActorName = "wfc.fail";

    public const string QueueName = "wfc";

    private readonly IDatabase _db;
    private readonly string _prefix;
    private readonly Func<string, Task>? _afterCount;
    private readonly Action<string>? _beforeReturn;
    private readonly bool _fails;

    /// <param name="afterCount">Runs once the run is counted (the worker process blocks there to be killed mid-step).</param>
    /// <param name="beforeReturn">Runs as the step finishes, before the worker hands it over.</param>
    public RecordingAdd(IDatabase db, string prefix, Func<string, Task>? afterCount = null, Action<string>? beforeReturn = null)
        : this(ActorName, new ActorOptions { MaxRetries = 5, MinBackoff = TimeSpan.FromMilliseconds(200), MaxBackoff = TimeSpan.FromMilliseconds(500) }, db, prefix, afterCount, beforeReturn)
    {
    }

    private RecordingAdd(string name, ActorOptions options, IDatabase db, string prefix, Func<string, Task>? afterCount, Action<string>? beforeReturn)
        : base(name, QueueName, options)
    {
        _db = db;
        _prefix = prefix;
        _afterCount = afterCount;
        _beforeReturn = beforeReturn;
        _fails = name == FailingActorName;
    }

    /// <summary><c>wfc.fail</c>: counts its run like <c>wfc.add</c>, then throws (no retries).</summary>
    public static RecordingAdd Failing(IDatabase db, string prefix, Func<string, Task>? afterCount = null, Action<string>? beforeReturn = null) =>
        new(FailingActorName, new ActorOptions { MaxRetries = 0 }, db, prefix, afterCount, beforeReturn);

    public override bool HasResult => true;

    /// <summary>The counter of <paramref name="label"/>'s runs.</summary>
    public static RedisKey RunsKey(string prefix, string label) => $"{prefix}:wfc:runs:{label}";

    public override async ValueTask InvokeAsync(ActorInvocation invocation)
    {
        long sum;
        string label;
        using (var arguments = JsonDocument.Parse(invocation.Arguments))
        {
            label = arguments.RootElement.GetProperty("label").GetString()!;
            sum = SumOf(arguments.RootElement);
        }

        await _db.StringIncrementAsync(RunsKey(_prefix, label));
        if (_afterCount is not null)
        {
            await _afterCount(label);
        }

        _beforeReturn?.Invoke(label);
        if (_fails)
        {
            throw new InvalidOperationException("kaput " + label);
        }

        invocation.Result.Write(Encoding.UTF8.GetBytes(sum.ToString(CultureInfo.InvariantCulture)));
    }

    private static long SumOf(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Number => element.GetInt64(),
        JsonValueKind.Array => element.EnumerateArray().Sum(SumOf),
        JsonValueKind.Object => element.EnumerateObject().Sum(p => SumOf(p.Value)),
        _ => 0,
    };
}
