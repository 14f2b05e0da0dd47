using System.Collections.Generic;
using System.ComponentModel;
using System.Threading.Tasks;
using System;

namespace TypedTasks.Generated;

/// <summary>
/// One actor as the worker sees it: its wire name, queue, options and a reflection-free invoker.
/// The source generator emits one sealed subclass per <c>[Actor]</c> method.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class ActorDescriptor
{
    /// <summary>Initializes the descriptor with the values the generator read at compile time.</summary>
    protected ActorDescriptor(string name, string queue, ActorOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(queue);
        ArgumentNullException.ThrowIfNull(options);
        Name = name;
        Queue = queue;
        Options = options;
    }

    /// <summary>The stable wire name.</summary>
    public string Name { get; }

    /// <summary>The queue messages for this actor are sent to by default.</summary>
    public string Queue { get; }

    /// <summary>Per-actor overrides of the worker's defaults.</summary>
    public ActorOptions Options { get; }

    /// <summary>Whether the actor produces a value (written by <see cref="InvokeAsync"/> to <see cref="ActorInvocation.Result"/>).</summary>
    public abstract bool HasResult { get; }

    /// <summary>
    /// For an instance actor, the type its method is declared on (resolved from, or built with services of, the
    /// message's DI scope); <see langword="null"/> for a static actor.
    /// </summary>
    public virtual Type? InstanceType => null;

    /// <summary>
    /// The services an instance actor's factory needs when <see cref="InstanceType"/> itself is not registered: the
    /// constructor parameters without a default value. Empty for static actors. A worker checks them at start
    /// (<see cref="WorkerOptions.ValidateDependencies"/>).
    /// </summary>
    public virtual IReadOnlyList<Type> Dependencies => Array.Empty<Type>();

    /// <summary>Whether the actor takes a <see cref="TaskProgress"/> (passed in <see cref="ActorInvocation.Progress"/>):
    /// the worker creates a reporter only for such actors.</summary>
    public virtual bool ReportsProgress => false;

    /// <summary>The actor's <see cref="ScheduleAttribute"/>s: empty unless the generator found some.</summary>
    public virtual IReadOnlyList<ActorSchedule> Schedules => Array.Empty<ActorSchedule>();

    /// <summary>
    /// Reads the arguments from <see cref="ActorInvocation.Arguments"/> (UTF-8 JSON object keyed by parameter name),
    /// invokes the actor and, if it has a result, writes it as UTF-8 JSON to <see cref="ActorInvocation.Result"/>.
    /// </summary>
    /// <exception cref="TaskArgumentException">The arguments are not exactly one JSON object of valid UTF-8, or do not
    /// fit the parameters. Every failure while reading the arguments surfaces as this exception.</exception>
    public abstract ValueTask InvokeAsync(ActorInvocation invocation);

    /// <summary>
    /// Whether a failed attempt may be retried. The generator overrides this for actors that declare
    /// <see cref="ActorAttribute.DoNotRetryOn"/>; <see cref="NonRetryableException"/> and
    /// <see cref="TaskArgumentException"/> are never retried regardless.
    /// </summary>
    public virtual bool ShouldRetry(Exception exception) => true;

    /// <inheritdoc />
    public override string ToString() => Name;
}
