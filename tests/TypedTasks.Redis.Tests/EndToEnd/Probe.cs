using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace TypedTasks.Redis.Tests.EndToEnd;

/// <summary>What the actors of one test did: runs per item, calls, and a gate that holds one chosen item.</summary>
public sealed class Probe
{
    private static readonly ConcurrentDictionary<string, Probe> s_probes = new(StringComparer.Ordinal);

    private readonly ConcurrentDictionary<int, int> _runs = new();
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _heldItemStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<(int Count, TaskCompletionSource Reached)> _waiters = [];
    private int _calls;
    private int _tokensObserved;

    private Probe(string key) => Key = key;

    public string Key { get; }

    /// <summary>The item whose run waits for <see cref="OpenGate"/> instead of working for its duration.</summary>
    public int? HeldItem { get; init; }

    public Task HeldItemStarted => _heldItemStarted.Task;

    public int Calls => Volatile.Read(ref _calls);

    public int DistinctRuns => _runs.Count;

    public static Probe Create(int? heldItem = null)
    {
        var probe = new Probe("p" + Guid.NewGuid().ToString("N")[..12]) { HeldItem = heldItem };
        s_probes[probe.Key] = probe;
        return probe;
    }

    public static Probe Get(string key) =>
        s_probes.TryGetValue(key, out var probe) ? probe : throw new InvalidOperationException($"No probe '{key}': a task of another test run?");

    public int RunsOf(int item) => _runs.TryGetValue(item, out var runs) ? runs : 0;

    public int NextCall() => Interlocked.Increment(ref _calls);

    public void Ran(int item)
    {
        _runs.AddOrUpdate(item, 1, static (_, runs) => runs + 1);
        lock (_waiters)
        {
            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_runs.Count >= _waiters[i].Count)
                {
                    _waiters[i].Reached.TrySetResult();
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    /// <summary>Completes once <paramref name="count"/> distinct items ran; fails the test after <paramref name="timeout"/>.</summary>
    public async Task WaitForDistinctRunsAsync(int count, TimeSpan timeout)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waiters)
        {
            if (_runs.Count >= count)
            {
                return;
            }

            _waiters.Add((count, reached));
        }

        try
        {
            await reached.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Only {_runs.Count} of {count} items ran within {timeout}.");
        }
    }

    public void OpenGate() => _gate.TrySetResult();

    /// <summary>How many runs saw their cancellation token fire.</summary>
    public int TokensObserved => Volatile.Read(ref _tokensObserved);

    public void ObservedToken() => Interlocked.Increment(ref _tokensObserved);

    public async Task WorkAsync(int item, TimeSpan duration, CancellationToken cancellationToken)
    {
        if (item == HeldItem && _heldItemStarted.TrySetResult())
        {
            await _gate.Task.WaitAsync(cancellationToken);
            return;
        }

        await Task.Delay(duration, cancellationToken);
    }
}
