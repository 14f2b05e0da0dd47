using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using TypedTasks.Generated;

namespace TypedTasks.Testing;

/// <summary>
/// A broker, a client and real <see cref="TaskWorker"/>s running a small set of hand-written actors on a queue of their
/// own, with builders for workflow steps through the generated-code plumbing (<see cref="WorkflowSteps"/>,
/// <see cref="TaskMessages"/>), so the workflow suites depend on no generator. Every actor that gets a <c>label</c>
/// argument counts its runs under it (<see cref="RunsOf"/>).
/// </summary>
/// <remarks>
/// The actors: <c>wf.add</c> returns the sum of every number in its arguments (arrays included), so it serves as a
/// chain step (<c>x + by</c>), a chord (<c>values</c>) and a DAG join (<c>a + b + c</c>), and sleeps <c>sleep</c> ms first; <c>wf.join</c> joins
/// <c>values</c> with commas; <c>wf.text</c> returns <c>text</c>; <c>wf.fail</c> throws (no retries); <c>wf.block</c>
/// runs until its cancellation token fires; <c>wf.failure</c> and <c>wf.success</c> are callbacks that record what
/// they receive.
/// </remarks>
public sealed class WorkflowRig : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, int> _runs = new(StringComparer.Ordinal);
    private readonly List<TaskWorker> _workers = [];

    private WorkflowRig(ITaskBroker broker)
    {
        Broker = broker;
        Client = new TaskClient(broker);
        Queue = TestMessages.Queue();
    }

    public ITaskBroker Broker { get; }

    public TaskClient Client { get; }

    public string Queue { get; }

    /// <summary>What <c>wf.failure</c> callbacks received, by their label.</summary>
    public ConcurrentQueue<(string Label, WorkflowFailure Failure)> Failures { get; } = new();

    /// <summary>What <c>wf.success</c> callbacks received (the JSON text), by their label.</summary>
    public ConcurrentQueue<(string Label, string Value)> Successes { get; } = new();

    /// <summary>Labels of <c>wf.block</c> runs that started.</summary>
    public ConcurrentQueue<string> Blocked { get; } = new();

    /// <summary>Labels of <c>wf.block</c> runs whose cancellation token fired.</summary>
    public ConcurrentQueue<string> BlockCancelled { get; } = new();

    /// <summary>Starts <paramref name="workers"/> workers of <paramref name="concurrency"/> each on a new queue of <paramref name="broker"/>
    /// (which the rig then owns).</summary>
    public static async Task<WorkflowRig> StartAsync(ITaskBroker broker, int workers = 1, int concurrency = 4)
    {
        var rig = new WorkflowRig(broker);
        try
        {
            var registry = new ActorRegistry(rig.Actors());
            for (var i = 0; i < workers; i++)
            {
                var worker = new TaskWorker(broker, registry, new WorkerOptions
                {
                    Queues = [rig.Queue], Concurrency = concurrency, ConsumerName = $"wf-{i}-{Guid.NewGuid():N}"[..16],
                    ShutdownTimeout = TimeSpan.FromSeconds(5),
                });
                rig._workers.Add(worker);
                await worker.StartAsync();
            }

            return rig;
        }
        catch
        {
            await rig.DisposeAsync();
            throw;
        }
    }

    public int RunsOf(string label) => _runs.TryGetValue(label, out var runs) ? runs : 0;

    public IReadOnlyDictionary<string, int> Runs => _runs;

    public async ValueTask DisposeAsync()
    {
        foreach (var worker in _workers)
        {
            await worker.DisposeAsync();
        }

        await Broker.DisposeAsync();
    }

    /// <summary><c>wf.add</c> of <paramref name="x"/> and <paramref name="by"/>: a first step.</summary>
    public TaskRequest<int> Add(string? label, int x, int by = 0) =>
        TaskMessages.Create("wf.add", Queue, Arguments(label, $"\"x\":{x},\"by\":{by}"), null, TypedTasksJsonContext.Default.Int32);

    /// <summary><c>wf.add</c> of <paramref name="x"/> that takes <paramref name="milliseconds"/> (a <c>sleep</c> argument, not added).</summary>
    public TaskRequest<int> SlowAdd(string? label, int x, int milliseconds) =>
        TaskMessages.Create("wf.add", Queue, Arguments(label, $"\"x\":{x},\"sleep\":{milliseconds}"), null, TypedTasksJsonContext.Default.Int32);

    /// <summary><c>wf.add</c> adding <paramref name="by"/> to the previous step's result (its <c>x</c>).</summary>
    public WorkflowStep<int, int> AddTo(string? label, int by) =>
        WorkflowSteps.With<int, int>(Request("wf.add", label, $"\"by\":{by}"), "x", TypedTasksJsonContext.Default.Int32);

    /// <summary><c>wf.add</c> summing the previous step's results (its <c>values</c>): a chord's last step.</summary>
    public WorkflowStep<int[], int> Sum(string? label) =>
        WorkflowSteps.With<int[], int>(Request("wf.add", label, null), "values", TypedTasksJsonContext.Default.Int32);

    /// <summary><c>wf.join</c>: the previous step's results joined with commas.</summary>
    public WorkflowStep<int[], string> Join(string? label) =>
        WorkflowSteps.With<int[], string>(Request("wf.join", label, null), "values", TypedTasksJsonContext.Default.String);

    /// <summary><c>wf.add</c> of <paramref name="constant"/> and the results of <paramref name="inputs"/> (parameter name, step).</summary>
    public Workflow<int> AddOf(string? label, int constant, params (string Parameter, Workflow Source)[] inputs) =>
        WorkflowSteps.Step(
            Request("wf.add", label, $"\"c\":{constant}"),
            inputs.Select(i => new KeyValuePair<string, Workflow>(i.Parameter, i.Source)).ToArray(),
            TypedTasksJsonContext.Default.Int32);

    /// <summary><c>wf.fail</c> that waits for <paramref name="inputs"/> (which it ignores) before it fails.</summary>
    public Workflow<int> FailOf(string label, params (string Parameter, Workflow Source)[] inputs) =>
        WorkflowSteps.Step(
            Request("wf.fail", label, null),
            inputs.Select(i => new KeyValuePair<string, Workflow>(i.Parameter, i.Source)).ToArray(),
            TypedTasksJsonContext.Default.Int32);

    /// <summary><c>wf.text</c>: returns <paramref name="text"/>.</summary>
    public TaskRequest<string> Text(string? label, string text) =>
        TaskMessages.Create("wf.text", Queue, Arguments(label, $"\"text\":{JsonSerializer.Serialize(text, TypedTasksJsonContext.Default.String)}"), null, TypedTasksJsonContext.Default.String);

    /// <summary><c>wf.fail</c>: throws an <see cref="InvalidOperationException"/> saying "kaput {label}", without retries.</summary>
    public TaskRequest<int> Fail(string label) =>
        TaskMessages.Create("wf.fail", Queue, Arguments(label, null), null, TypedTasksJsonContext.Default.Int32);

    /// <summary><c>wf.block</c>: runs until its cancellation token fires.</summary>
    public TaskRequest<int> Block(string label) =>
        TaskMessages.Create("wf.block", Queue, Arguments(label, null), null, TypedTasksJsonContext.Default.Int32);

    /// <summary><c>wf.failure</c>: a failure callback recording the <see cref="WorkflowFailure"/> it gets.</summary>
    public WorkflowStep<WorkflowFailure, string> OnFailure(string label) =>
        WorkflowSteps.With<WorkflowFailure, string>(Request("wf.failure", label, null), "failure", TypedTasksJsonContext.Default.String);

    /// <summary><c>wf.success</c>: a success callback recording the value it gets.</summary>
    public WorkflowStep<int, string> OnSuccess(string label) =>
        WorkflowSteps.With<int, string>(Request("wf.success", label, null), "value", TypedTasksJsonContext.Default.String);

    private TaskRequest Request(string actor, string? label, string? fields) => new(actor, Queue, Arguments(label, fields));

    private static byte[] Arguments(string? label, string? fields)
    {
        var parts = new List<string>();
        if (label is not null)
        {
            parts.Add($"\"label\":{JsonSerializer.Serialize(label, TypedTasksJsonContext.Default.String)}");
        }

        if (fields is not null)
        {
            parts.Add(fields);
        }

        return Encoding.UTF8.GetBytes("{" + string.Join(",", parts) + "}");
    }

    private ActorDescriptor[] Actors()
    {
        var noRetries = new ActorOptions { MaxRetries = 0 };
        return
        [
            new JsonActor("wf.add", Queue, async (args, cancellationToken) =>
            {
                Count(args);
                if (args.TryGetProperty("sleep", out var sleep))
                {
                    await Task.Delay(sleep.GetInt32(), cancellationToken);
                }

                return SumOf(args).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }),
            new JsonActor("wf.join", Queue, (args, _) =>
            {
                Count(args);
                var joined = string.Join(",", args.GetProperty("values").EnumerateArray().Select(v => v.GetInt32()));
                return Task.FromResult<string?>(JsonSerializer.Serialize(joined, TypedTasksJsonContext.Default.String));
            }),
            new JsonActor("wf.text", Queue, (args, _) =>
            {
                Count(args);
                return Task.FromResult<string?>(args.GetProperty("text").GetRawText());
            }),
            new JsonActor("wf.fail", Queue, (args, _) =>
            {
                var label = Count(args);
                throw new InvalidOperationException("kaput " + label);
            }, noRetries),
            new JsonActor("wf.block", Queue, async (args, cancellationToken) =>
            {
                var label = Count(args)!;
                Blocked.Enqueue(label);
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    BlockCancelled.Enqueue(label);
                    throw;
                }

                return "0";
            }, noRetries),
            new JsonActor("wf.failure", Queue, (args, _) =>
            {
                var label = Count(args)!;
                Failures.Enqueue((label, args.GetProperty("failure").Deserialize(TypedTasksJsonContext.Default.WorkflowFailure)!));
                return Task.FromResult<string?>("\"ok\"");
            }),
            new JsonActor("wf.success", Queue, (args, _) =>
            {
                var label = Count(args)!;
                Successes.Enqueue((label, args.GetProperty("value").GetRawText()));
                return Task.FromResult<string?>("\"ok\"");
            }),
        ];
    }

    private string? Count(JsonElement args)
    {
        if (!args.TryGetProperty("label", out var label))
        {
            return null;
        }

        var name = label.GetString()!;
        _runs.AddOrUpdate(name, 1, static (_, runs) => runs + 1);
        return name;
    }

    private static long SumOf(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Number => element.GetInt64(),
        JsonValueKind.Array => element.EnumerateArray().Sum(SumOf),
        JsonValueKind.Object => element.EnumerateObject().Where(p => p.Name != "sleep").Sum(p => SumOf(p.Value)),
        _ => 0,
    };
}
