using System;
using System.Collections.Concurrent;
using System.Threading.Tasks;
using TypedTasks.Generated;

namespace TypedTasks.Testing;

/// <summary>A hand-written actor whose attempts follow a script, one step per invocation (the last step repeats):
/// the contract suites drive a real worker with it, without a generator.</summary>
public sealed class ScriptedActor : ActorDescriptor
{
    private readonly ConcurrentQueue<Func<ActorInvocation, Task>> _steps;
    private readonly Func<ActorInvocation, Task> _last;

    public ScriptedActor(string name, string queue, ActorOptions options, params Func<ActorInvocation, Task>[] steps)
        : base(name, queue, options)
    {
        ArgumentOutOfRangeException.ThrowIfZero(steps.Length);
        _steps = new ConcurrentQueue<Func<ActorInvocation, Task>>(steps);
        _last = steps[^1];
    }

    public override bool HasResult => false;

    public override bool ReportsProgress => true;

    public override ValueTask InvokeAsync(ActorInvocation invocation) =>
        new((_steps.TryDequeue(out var step) ? step : _last)(invocation));
}
