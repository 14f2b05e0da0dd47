using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading.Tasks;

namespace TypedTasks.Testing;

/// <summary>Random DAGs: the result is what a local evaluation says, and every step ran exactly once.</summary>
public abstract partial class WorkflowContract
{
    /// <summary>How many random workflows the property case runs (all at once, on two workers).</summary>
    protected virtual int RandomWorkflows => 12;

    [Fact]
    public async Task Random_dags_of_add_steps_compute_what_a_local_evaluation_does_and_run_each_step_once()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("TYPEDTASKS_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s)
            ? s
            : Random.Shared.Next();
        var random = new Random(seed);
        await using var rig = await StartAsync(workers: 2, concurrency: 4);

        var sent = new List<(WorkflowHandle<int> Handle, int Expected, string[] Labels, string Shape)>();
        for (var round = 0; round < RandomWorkflows; round++)
        {
            var (workflow, expected, labels, shape) = RandomDag(rig, random, round);
            sent.Add((await workflow.SendAsync(rig.Client), expected, labels, shape));
        }

        foreach (var (handle, expected, labels, shape) in sent)
        {
            var because = $"seed {seed} (rerun with TYPEDTASKS_SEED={seed}), workflow {shape}";
            int result;
            try
            {
                result = await handle.GetResultAsync(Wait);
            }
            catch (Exception exception)
            {
                throw new InvalidOperationException($"{because}: {exception.Message}", exception);
            }

            Assert.True(expected == result, $"{because}: expected {expected}, got {result}");
            foreach (var label in labels)
            {
                Assert.True(rig.RunsOf(label) == 1, $"{because}: step {label} ran {rig.RunsOf(label)} times");
            }
        }
    }

    /// <summary>
    /// A DAG of 1–7 <c>wf.add</c> steps plus a last step taking every step nobody else takes. Each step adds a constant
    /// to its inputs: up to three earlier steps, some of them bundled into a group (an array input). Steps are shared
    /// freely, so branches share dependencies. Returns the workflow, its expected result, the labels of its task steps
    /// and a description for failure messages.
    /// </summary>
    private static (Workflow<int> Workflow, int Expected, string[] Labels, string Shape) RandomDag(WorkflowRig rig, Random random, int round)
    {
        var count = random.Next(1, 8);
        var steps = new Workflow<int>[count];
        var values = new int[count];
        var used = new bool[count];
        var shape = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var constant = random.Next(0, 100);
            var label = $"r{round}s{i}";
            var sources = i == 0 ? [] : Enumerable.Range(0, i).OrderBy(_ => random.Next()).Take(random.Next(0, Math.Min(3, i) + 1)).ToList();
            var inputs = new List<(string, Workflow)>();
            var value = constant;
            var description = new List<string>();
            var k = 0;
            while (k < sources.Count)
            {
                var parameter = "in" + inputs.Count;
                if (sources.Count - k >= 2 && random.Next(3) == 0)
                {
                    // Two earlier steps as one array input: a group.
                    var (a, b) = (sources[k], sources[k + 1]);
                    inputs.Add((parameter, Workflow.Group<int>(new[] { steps[a], steps[b] })));
                    value += values[a] + values[b];
                    used[a] = used[b] = true;
                    description.Add($"[{a},{b}]");
                    k += 2;
                }
                else
                {
                    inputs.Add((parameter, steps[sources[k]]));
                    value += values[sources[k]];
                    used[sources[k]] = true;
                    description.Add(sources[k].ToString(CultureInfo.InvariantCulture));
                    k++;
                }
            }

            steps[i] = inputs.Count == 0 && random.Next(2) == 0
                ? rig.Add(label, constant).AsWorkflow()
                : rig.AddOf(label, constant, [.. inputs]);
            values[i] = value;
            shape.Add($"{i}={constant}+({string.Join(",", description)})");
        }

        var sinks = Enumerable.Range(0, count).Where(i => !used[i]).ToArray();
        var last = rig.AddOf($"r{round}last", 0, [.. sinks.Select(i => ("in" + i.ToString(CultureInfo.InvariantCulture), (Workflow)steps[i]))]);
        shape.Add($"last=({string.Join(",", sinks)})");
        var labels = Enumerable.Range(0, count).Select(i => $"r{round}s{i}").Append($"r{round}last").ToArray();
        return (last, sinks.Sum(i => values[i]), labels, string.Join(" ", shape));
    }
    [Fact]
    public async Task Random_dags_with_failing_steps_and_tolerant_groups_fail_or_succeed_as_a_local_evaluation_says()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("TYPEDTASKS_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s)
            ? s
            : Random.Shared.Next();
        var random = new Random(seed);
        await using var rig = await StartAsync(workers: 2, concurrency: 4);

        var sent = new List<(WorkflowHandle<int> Handle, Model Model)>();
        for (var round = 0; round < RandomWorkflows; round++)
        {
            var model = RandomFailingDag(rig, random, round);
            sent.Add((await model.Workflow.SendAsync(rig.Client), model));
        }

        foreach (var (handle, model) in sent)
        {
            var because = $"seed {seed} (rerun with TYPEDTASKS_SEED={seed}), workflow {model.Shape}";
            Exception? failure = null;
            var result = 0;
            try
            {
                result = await handle.GetResultAsync(Wait);
            }
            catch (TaskFailedException exception)
            {
                failure = exception;
            }
            catch (Exception exception)
            {
                throw new InvalidOperationException($"{because}: {exception.Message}", exception);
            }

            if (model.Expected is { } expected)
            {
                Assert.True(failure is null, $"{because}: expected {expected}, the workflow failed: {failure?.Message}");
                Assert.True(expected == result, $"{because}: expected {expected}, got {result}");
            }
            else
            {
                Assert.True(failure is TaskFailedException { IsCancelled: false }, $"{because}: expected a failure, got {result}");
            }

            // Settled: every step that can still run has run or was cancelled (runs are read after the final state).
            foreach (var (label, state) in model.Labels)
            {
                var runs = rig.RunsOf(label);
                Assert.True(runs <= 1, $"{because}: step {label} ran {runs} times");
                if (state == Local.Never)
                {
                    Assert.True(runs == 0, $"{because}: step {label} ran although a step it needs failed");
                }
                else if (model.Expected is not null)
                {
                    Assert.True(runs == 1, $"{because}: step {label} did not run");
                }
            }
        }
    }

    private enum Local
    {
        Succeeded,
        Failed,
        Never,
    }

    private sealed record Model(Workflow<int> Workflow, int? Expected, List<(string Label, Local State)> Labels, string Shape);

    /// <summary>
    /// Like <see cref="RandomDag"/>, with about one step in five failing (<c>wf.fail</c>) and groups that tolerate 0–2
    /// failed members. Evaluated locally: a group whose members all finished succeeds with its successful members'
    /// results when no more than its tolerance failed; a step runs only when every input succeeded; the workflow
    /// succeeds exactly when its last step does (a failure that a group does not absorb leaves the last step unreachable).
    /// </summary>
    private static Model RandomFailingDag(WorkflowRig rig, Random random, int round)
    {
        var count = random.Next(1, 8);
        var steps = new Workflow<int>[count];
        var states = new Local[count];
        var values = new int[count];
        var used = new bool[count];
        var shape = new List<string>();
        var labels = new List<(string, Local)>();
        for (var i = 0; i < count; i++)
        {
            var constant = random.Next(0, 100);
            var label = $"x{round}s{i}";
            var fails = random.Next(5) == 0;
            var sources = i == 0 ? [] : Enumerable.Range(0, i).OrderBy(_ => random.Next()).Take(random.Next(0, Math.Min(3, i) + 1)).ToList();
            var inputs = new List<(string, Workflow)>();
            var value = constant;
            var runnable = true;
            var description = new List<string>();
            var k = 0;
            while (k < sources.Count)
            {
                var parameter = "in" + inputs.Count;
                if (sources.Count - k >= 2 && random.Next(2) == 0)
                {
                    var members = sources.Skip(k).Take(random.Next(2, sources.Count - k + 1)).ToArray();
                    var tolerance = random.Next(0, 3);
                    inputs.Add((parameter, Workflow.Group(members.Select(m => steps[m]), tolerance)));
                    var failed = members.Count(m => states[m] == Local.Failed);
                    if (members.Any(m => states[m] == Local.Never) || failed > tolerance)
                    {
                        runnable = false;
                    }
                    else
                    {
                        value += members.Where(m => states[m] == Local.Succeeded).Sum(m => values[m]);
                    }

                    foreach (var m in members)
                    {
                        used[m] = true;
                    }

                    description.Add($"[{string.Join(",", members)}]~{tolerance}");
                    k += members.Length;
                }
                else
                {
                    var source = sources[k];
                    inputs.Add((parameter, steps[source]));
                    runnable &= states[source] == Local.Succeeded;
                    value += values[source];
                    used[source] = true;
                    description.Add(source.ToString(CultureInfo.InvariantCulture));
                    k++;
                }
            }

            steps[i] = fails ? rig.FailOf(label, [.. inputs]) : rig.AddOf(label, constant, [.. inputs]);
            states[i] = !runnable ? Local.Never : fails ? Local.Failed : Local.Succeeded;
            values[i] = value;
            labels.Add((label, states[i]));
            shape.Add($"{i}{(fails ? "!" : "=" + constant.ToString(CultureInfo.InvariantCulture))}+({string.Join(",", description)})");
        }

        var sinks = Enumerable.Range(0, count).Where(i => !used[i]).ToArray();
        var last = rig.AddOf($"x{round}last", 0, [.. sinks.Select(i => ("in" + i.ToString(CultureInfo.InvariantCulture), (Workflow)steps[i]))]);
        var lastRuns = sinks.All(i => states[i] == Local.Succeeded);
        labels.Add(($"x{round}last", lastRuns ? Local.Succeeded : Local.Never));
        shape.Add($"last=({string.Join(",", sinks)})");
        return new Model(last, lastRuns ? sinks.Sum(i => values[i]) : null, labels, string.Join(" ", shape));
    }
}
