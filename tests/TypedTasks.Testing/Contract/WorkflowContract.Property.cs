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
}
