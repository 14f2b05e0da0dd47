using System;
using System.Collections.Generic;

namespace TypedTasks;

/// <summary>
/// A task to send: the actor, its encoded arguments and the per-send choices (<see cref="SendOptions"/>). The client
/// turns it into the wire envelope, a <see cref="TaskMessage"/>, when it sends: it assigns the id (unless one is
/// given), stamps the enqueue time and resolves a relative <see cref="Delay"/> into an absolute due time on its own
/// clock. Generated builders (<c>Tasks.X.Message(...)</c>) return one.
/// </summary>
/// <remarks>
/// Relative times exist only here, never on the wire, so every broker receives the same, fully resolved message.
/// </remarks>
public record TaskRequest : IWorkflowStep
{
    /// <summary>A request for <paramref name="actor"/> with already-encoded <paramref name="arguments"/> (a UTF-8 JSON
    /// object keyed by parameter name) and the choices of <paramref name="options"/>.</summary>
    public TaskRequest(string actor, string queue, ReadOnlyMemory<byte> arguments, SendOptions? options = null)
    {
        WireNames.ThrowIfInvalid(actor, "actor name", nameof(actor));
        WireNames.ThrowIfInvalid(options?.Queue ?? queue, "queue name", options?.Queue is null ? nameof(queue) : nameof(options));
        if (options?.TaskId is { } taskId)
        {
            WireNames.ThrowIfInvalid(taskId, "task id", nameof(options));
        }

        if (options?.UniqueKey is { } uniqueKey)
        {
            WireNames.ThrowIfInvalid(uniqueKey, "unique key", nameof(options));
        }

        if (options?.UniqueFor is { } uniqueFor && uniqueFor <= TimeSpan.Zero)
        {
            throw new ArgumentException($"UniqueFor is {uniqueFor}; a unique window must be positive.", nameof(options));
        }

        Actor = actor;
        Queue = options?.Queue ?? queue;
        Arguments = arguments;
        TaskId = options?.TaskId;
        Delay = options?.Delay;
        NotBefore = options?.Delay is null ? options?.NotBefore : null;
        Headers = options?.Headers;
        TrackStatus = options?.TrackStatus;
        UniqueKey = options?.UniqueKey ?? (options?.UniqueByArguments == true ? UniqueKeys.ForArguments(actor, arguments.Span) : null);
        UniqueFor = UniqueKey is null ? null : options?.UniqueFor;
    }

    /// <summary>The actor's wire name.</summary>
    public string Actor { get; }

    /// <summary>The queue the task goes to.</summary>
    public string Queue { get; init; }

    /// <summary>The arguments: a UTF-8 JSON object keyed by parameter name.</summary>
    public ReadOnlyMemory<byte> Arguments { get; }

    /// <summary>The task id to use; <see langword="null"/> = a new <see cref="TypedTasks.TaskId"/>.</summary>
    public string? TaskId { get; init; }

    /// <summary>Run no earlier than this long after sending (resolved on the sending client's clock).</summary>
    public TimeSpan? Delay { get; init; }

    /// <summary>Run no earlier than this moment (ignored when <see cref="Delay"/> is set).</summary>
    public DateTimeOffset? NotBefore { get; init; }

    /// <summary>Headers carried with the message.</summary>
    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    /// <summary>Whether to record the task's status as it goes (<see cref="SendOptions.TrackStatus"/>); <see langword="null"/>
    /// = the sending client's <see cref="TaskClient.TrackStatus"/>. A decided value travels to the worker in the
    /// <c>typedtasks-status</c> header.</summary>
    public bool? TrackStatus { get; init; }

    /// <summary>The key that makes this send unique within its queue (<see cref="SendOptions.UniqueKey"/>, or derived
    /// from actor and arguments for <see cref="SendOptions.UniqueByArguments"/>); <see langword="null"/> = not unique.</summary>
    public string? UniqueKey { get; init; }

    /// <summary>How long the unique key is held (<see cref="SendOptions.UniqueFor"/>); <see langword="null"/> = until
    /// the outcome is final.</summary>
    public TimeSpan? UniqueFor { get; init; }

    /// <summary>This request as a one-step workflow (to add callbacks, or to compose it).</summary>
    public Workflow AsWorkflow() => AsWorkflowCore();

    private protected virtual Workflow AsWorkflowCore() => new UntypedWorkflow(Workflows.WorkflowNode.FromRequest(this));

    /// <summary>Runs <paramref name="next"/> after this task succeeds; nothing is passed to it.</summary>
    public Workflow Then(TaskRequest next) => AsWorkflowCore().Then(next);

    /// <summary>Runs <paramref name="next"/> after this task succeeds; nothing is passed to it.</summary>
    public Workflow<TNext> Then<TNext>(TaskRequest<TNext> next) => AsWorkflowCore().Then(next);

    /// <summary>The wire envelope of this request sent at <paramref name="now"/>.</summary>
    /// <exception cref="ArgumentException">The delay is negative.</exception>
    public TaskMessage ToMessage(DateTimeOffset now)
    {
        if (Delay is { } delay && delay < TimeSpan.Zero)
        {
            throw new ArgumentException($"The delay of a '{Actor}' task is {delay}; it must not be negative.", nameof(Delay));
        }

        var message = new TaskMessage
        {
            Id = TaskId ?? TypedTasks.TaskId.NewId(now),
            Actor = Actor,
            Queue = Queue,
            Arguments = Arguments,
            EnqueuedAt = now,
            DueAt = Delay is { } d ? now + d : NotBefore,
            Headers = Headers,
            ExplicitId = TaskId is not null,
            UniqueKey = UniqueKey,
            UniqueFor = UniqueKey is null ? null : UniqueFor,
        };
        // Names were checked when the request was built; the broker checks the whole message when it stores it.
        return message;
    }
}
