using System;
using System.Threading;
using System.Threading.Tasks;

namespace TypedTasks;

/// <summary>A sent task: its id, and a way to wait for its outcome.</summary>
public class TaskHandle
{
    /// <summary>Creates a handle.</summary>
    public TaskHandle(string id, string actor, ITaskClient client)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        ArgumentNullException.ThrowIfNull(client);
        Id = id;
        Actor = actor;
        Client = client;
    }

    /// <summary>The task id.</summary>
    public string Id { get; }

    /// <summary>The actor's wire name.</summary>
    public string Actor { get; }

    /// <summary>The client that sent it.</summary>
    public ITaskClient Client { get; }

    /// <summary>
    /// The send was a duplicate and stored nothing: <see cref="Id"/> is the existing task that holds the unique key
    /// (<see cref="SendOptions.UniqueKey"/>, <see cref="SendOptions.UniqueByArguments"/>) or already has the chosen
    /// id (<see cref="SendOptions.TaskId"/>).
    /// </summary>
    public bool IsDuplicate { get; init; }

    /// <summary>Cancels the task (<see cref="ITaskClient.CancelAsync"/>).</summary>
    public virtual ValueTask<CancelResult> CancelAsync(CancellationToken cancellationToken = default) => Client.CancelAsync(Id, cancellationToken);

    /// <summary>The stored outcome, or <see langword="null"/> while none is stored.</summary>
    public ValueTask<TaskOutcome?> GetOutcomeAsync(CancellationToken cancellationToken = default) =>
        Client.Results.GetAsync(Id, cancellationToken);

    /// <summary>
    /// The task's status: one read, no scan. Tracked tasks (<see cref="ActorAttribute.TrackStatus"/>,
    /// <see cref="SendOptions.TrackStatus"/>) report every state; untracked ones <see cref="TaskState.Unknown"/> until a
    /// stored outcome says how they finished.
    /// </summary>
    public ValueTask<TaskStatusInfo> GetStatusAsync(CancellationToken cancellationToken = default) =>
        Client.Status.GetAsync(Id, cancellationToken);

    /// <summary>The latest progress the actor reported (<see cref="TaskProgress"/>), or <see langword="null"/>.</summary>
    public ValueTask<TaskProgressInfo?> GetProgressAsync(CancellationToken cancellationToken = default) =>
        Client.Status.GetProgressAsync(Id, cancellationToken);

    /// <summary>
    /// Waits up to <paramref name="timeout"/> for a progress report newer than <paramref name="afterSequence"/> (the
    /// <see cref="TaskProgressInfo.Sequence"/> you saw last; 0 for the first) and returns it, or <see langword="null"/>
    /// when none came in time. Waits for a notification, not in a polling loop.
    /// </summary>
    public ValueTask<TaskProgressInfo?> WaitForProgressAsync(long afterSequence, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        Client.Status.WaitForProgressAsync(Id, afterSequence, timeout, cancellationToken);

    /// <summary>
    /// Waits until the task completed. Needs a stored outcome: actors with a result always store one; void actors
    /// only with <see cref="ActorAttribute.StoreResults"/>.
    /// </summary>
    /// <exception cref="TaskFailedException">The task failed for good, or was cancelled
    /// (<see cref="TaskFailedException.IsCancelled"/>).</exception>
    /// <exception cref="TimeoutException">No outcome within <paramref name="timeout"/>.</exception>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        _ = await WaitForOutcomeAsync(timeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waits for a successful outcome; throws for failures and time-outs.</summary>
    protected async Task<TaskOutcome> WaitForOutcomeAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var outcome = await Client.Results.WaitAsync(Id, timeout, cancellationToken).ConfigureAwait(false)
            ?? throw new TimeoutException($"Task '{Id}' ({Actor}) produced no result within {timeout}.");
        if (!outcome.Succeeded)
        {
            throw new TaskFailedException(Id, Actor, outcome.Error ?? new TaskError(DeadLetterReason.RetriesExhausted, "Unknown", "The task failed."));
        }

        return outcome;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Actor}:{Id}";
}
