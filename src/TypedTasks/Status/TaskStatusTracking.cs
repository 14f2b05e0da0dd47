using System;
using System.Collections.Generic;
using System.Threading.Tasks;

namespace TypedTasks;

/// <summary>
/// Whether a message's status is tracked, and the client's "queued"/"scheduled" record. The decision travels in the
/// <c>typedtasks-status</c> header (<c>1</c> or <c>0</c>); without it the worker uses the actor's
/// <see cref="ActorAttribute.TrackStatus"/>. An untracked send gets no header and no extra write.
/// </summary>
internal static class TaskStatusTracking
{
    public const string Header = "typedtasks-status";

    /// <summary>Adds the header when the request (or else the client) decided; leaves the message alone otherwise.</summary>
    public static TaskMessage Mark(TaskMessage message, bool? requested, bool clientDefault)
    {
        bool tracked;
        if (requested is { } decided)
        {
            tracked = decided;
        }
        else if (clientDefault)
        {
            tracked = true;
        }
        else
        {
            return message;
        }

        var headers = message.Headers is { } own ? new Dictionary<string, string>(own, StringComparer.Ordinal) : new Dictionary<string, string>(1, StringComparer.Ordinal);
        headers[Header] = tracked ? "1" : "0";
        return message with { Headers = headers };
    }

    public static bool IsMarked(TaskMessage message) =>
        message.Headers is { } headers && headers.TryGetValue(Header, out var value) && value == "1";

    /// <summary>Whether the worker records this message's status: the header when present, else the actor's option.</summary>
    public static bool IsTracked(TaskMessage message, bool actorDefault)
    {
        if (message.Headers is { } headers && headers.TryGetValue(Header, out var value))
        {
            return value == "1";
        }

        return actorDefault;
    }

    /// <summary>
    /// Writes the "queued" (or "scheduled") record of a message the broker accepted. A failed write is swallowed: the
    /// task is sent, and a send that threw would be sent again by a careful caller; the worker's "running" write
    /// records the task regardless (docs/status.md).
    /// </summary>
    public static async ValueTask RecordSentQuietlyAsync(ITaskStatusStore store, TaskMessage message, TimeSpan timeToLive)
    {
        try
        {
            await RecordSentAsync(store, message, timeToLive).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // See above: the send stands.
        }
    }

    private static ValueTask<bool> RecordSentAsync(ITaskStatusStore store, TaskMessage message, TimeSpan timeToLive)
    {
        var scheduled = message.DueAt is { } due && due > message.EnqueuedAt;
        var update = new TaskStatusUpdate(scheduled ? TaskState.Scheduled : TaskState.Queued, message.EnqueuedAt)
        {
            EnqueuedAt = message.EnqueuedAt,
            NextAttemptAt = scheduled ? message.DueAt : null,
        };
        var keep = scheduled ? timeToLive + (message.DueAt!.Value - message.EnqueuedAt) : timeToLive;
        return store.RecordAsync(message.Id, update, keep);
    }

    /// <summary>The batch form: every tracked message's write started at once (the multiplexer pipelines them). A
    /// message the broker reported as a duplicate (<paramref name="existing"/>[i] not null) stored nothing and gets no
    /// record: the one there belongs to the task that holds the key.</summary>
    public static async ValueTask RecordSentQuietlyAsync(ITaskStatusStore store, IReadOnlyList<TaskMessage> messages, IReadOnlyList<string?>? existing, TimeSpan timeToLive)
    {
        List<Task>? writes = null;
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            if (existing?[i] is null && IsMarked(message))
            {
                (writes ??= []).Add(RecordSentQuietlyAsync(store, message, timeToLive).AsTask());
            }
        }

        if (writes is not null)
        {
            await Task.WhenAll(writes).ConfigureAwait(false);
        }
    }
}
