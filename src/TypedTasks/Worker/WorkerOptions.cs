using System;
using System.Collections.Generic;
using TypedTasks.Generated;

namespace TypedTasks;

/// <summary>How a <see cref="TaskWorker"/> consumes and runs messages. Per-actor settings in
/// <see cref="ActorOptions"/> override the <c>Default*</c> values here.</summary>
/// <remarks>
/// <para>
/// Retry backoff for the attempt that just failed (<c>n</c> = <see cref="TaskMessage.Attempt"/>, 1-based) uses
/// "equal jitter": <c>b = min(MaxBackoff, MinBackoff * 2^(n-1))</c>, then <c>delay = b/2 + Jitter() * b/2</c>.
/// Half the delay is fixed so retries keep backing off; the random half spreads retries of a burst of failures so
/// they do not hit a recovering dependency all at once. The delay never exceeds <see cref="DefaultMaxBackoff"/>
/// (the same scheme Dramatiq uses).
/// </para>
/// <para>
/// Time limits, the age limit, backoff and the shutdown timeout all read <see cref="TimeProvider"/>, so a test can
/// drive them with <c>FakeTimeProvider</c>.
/// </para>
/// </remarks>
public sealed class WorkerOptions
{
    /// <summary>The queues to consume, in order of preference. <see langword="null"/> = every queue named by the
    /// registry's actors (ordinal order).</summary>
    public IReadOnlyList<string>? Queues { get; set; }

    /// <summary>
    /// The most actors running at once. The default, <see cref="Environment.ProcessorCount"/> × 8, matches
    /// Dramatiq's default (one process per core with 8 threads each): actors are mostly I/O-bound (HTTP, e-mail,
    /// databases), so several per core keep the machine busy, while a bound keeps connection pools and memory safe.
    /// Lower it for CPU-bound actors.
    /// </summary>
    public int Concurrency { get; set; } = Environment.ProcessorCount * 8;

    /// <summary>The most messages fetched from the broker but not yet started (0 = same as
    /// <see cref="Concurrency"/>). Among those, higher <see cref="ActorOptions.Priority"/> starts first.</summary>
    public int Prefetch { get; set; }

    /// <summary>How long running actors may finish when the worker stops before their tokens are cancelled.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries after the first attempt, for actors that set none.</summary>
    public int DefaultMaxRetries { get; set; } = 20;

    /// <summary>Backoff before the first retry (doubles per retry), for actors that set none.</summary>
    public TimeSpan DefaultMinBackoff { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Upper bound of the backoff, for actors that set none.</summary>
    public TimeSpan DefaultMaxBackoff { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long one attempt may run, for actors that set none (<see langword="null"/> = no limit).</summary>
    public TimeSpan? DefaultTimeLimit { get; set; }

    /// <summary>The age (since first enqueue) after which a message is dead-lettered instead of run, for actors
    /// that set none (<see langword="null"/> = no limit).</summary>
    public TimeSpan? DefaultMaxAge { get; set; }

    /// <summary>
    /// Retries of a message whose actor this worker does not know, before it is dead-lettered with
    /// <see cref="DeadLetterReason.UnknownActor"/> (0 = dead-letter at once). During a rolling deploy a newer producer
    /// may send to an actor only the newer workers have; each retry puts the message back on its queue, where a newer
    /// worker (or this one, upgraded) can take it. The default, 5, with the default backoff waits about 6 to 12 minutes in all.
    /// </summary>
    public int UnknownActorMaxRetries { get; set; } = 5;

    /// <summary>Backoff before the first retry of a message with an unknown actor (doubles per retry, equal
    /// jitter as for actor retries). Default: 30 seconds.</summary>
    public TimeSpan UnknownActorMinBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Upper bound of the unknown-actor backoff. Default: 5 minutes.</summary>
    public TimeSpan UnknownActorMaxBackoff { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// At start, check that the service provider given to the worker can build every instance actor of the consumed
    /// queues (the actor's type, or each of its <see cref="ActorDescriptor.Dependencies"/>, is registered), and refuse
    /// to start with one exception naming every missing service. Needs a provider that implements
    /// <c>IServiceProviderIsService</c> (Microsoft.Extensions.DependencyInjection does); skipped without a service
    /// provider. Default: <see langword="true"/>.
    /// </summary>
    public bool ValidateDependencies { get; set; } = true;

    /// <summary>How long stored outcomes are kept.</summary>
    public TimeSpan ResultTimeToLive { get; set; } = TimeSpan.FromDays(1);

    /// <summary>The clock; tests inject a fake one.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Middleware run around every attempt, outermost first.</summary>
    public IList<IProcessMiddleware> Middleware { get; private set; } = new List<IProcessMiddleware>();

    /// <summary>The consumer's name among live workers (<see langword="null"/> = the broker's default).</summary>
    public string? ConsumerName { get; set; }

    /// <summary>The random source for backoff jitter, returning a value in [0, 1] (values outside are clamped).
    /// <see langword="null"/> = <see cref="Random.Shared"/>. Tests inject a constant to pin retry times.</summary>
    public Func<double>? Jitter { get; set; }

    /// <summary>A copy, so a harness can add middleware without touching the caller's instance.</summary>
    internal WorkerOptions Clone()
    {
        var copy = (WorkerOptions)MemberwiseClone();
        var middleware = new List<IProcessMiddleware>(Middleware);
        copy.Middleware = middleware;
        return copy;
    }

    internal int EffectivePrefetch => Prefetch == 0 ? Concurrency : Prefetch;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Concurrency, 1, nameof(Concurrency));
        ArgumentOutOfRangeException.ThrowIfNegative(Prefetch, nameof(Prefetch));
        ArgumentOutOfRangeException.ThrowIfNegative(DefaultMaxRetries, nameof(DefaultMaxRetries));
        ArgumentOutOfRangeException.ThrowIfLessThan(DefaultMinBackoff, TimeSpan.Zero, nameof(DefaultMinBackoff));
        ArgumentOutOfRangeException.ThrowIfLessThan(DefaultMaxBackoff, DefaultMinBackoff, nameof(DefaultMaxBackoff));
        ArgumentOutOfRangeException.ThrowIfNegative(UnknownActorMaxRetries, nameof(UnknownActorMaxRetries));
        ArgumentOutOfRangeException.ThrowIfLessThan(UnknownActorMinBackoff, TimeSpan.Zero, nameof(UnknownActorMinBackoff));
        ArgumentOutOfRangeException.ThrowIfLessThan(UnknownActorMaxBackoff, UnknownActorMinBackoff, nameof(UnknownActorMaxBackoff));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ResultTimeToLive, TimeSpan.Zero, nameof(ResultTimeToLive));
        if (ShutdownTimeout < TimeSpan.Zero && ShutdownTimeout != System.Threading.Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(ShutdownTimeout), ShutdownTimeout, "Must be zero, positive or infinite.");
        }

        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
        if (Queues is { Count: 0 })
        {
            throw new ArgumentException("Queues must name at least one queue, or be null to use the registry's queues.", nameof(Queues));
        }

        for (var i = 0; i < Middleware.Count; i++)
        {
            if (Middleware[i] is null)
            {
                throw new ArgumentException($"Middleware[{i}] is null.", nameof(Middleware));
            }
        }
    }
}
