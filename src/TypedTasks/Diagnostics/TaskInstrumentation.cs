using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using TypedTasks.Brokers;

namespace TypedTasks;

/// <summary>
/// The one owner of TypedTasks' spans and instruments (OpenTelemetry messaging semantic conventions). Every entry point
/// checks <see cref="ActivitySource.HasListeners"/> or <see cref="Instrument.Enabled"/> first, so a process that
/// listens to neither pays a few branches per message and allocates nothing.
/// </summary>
internal static class TaskInstrumentation
{
    /// <summary>The <c>messaging.system</c> value.</summary>
    public const string MessagingSystem = "typedtasks";

    /// <summary>
    /// Set by the worker on the retry of a task it traced as scheduled (<see cref="TraceParenting.Auto"/> chose a link):
    /// the retry's own due time no longer tells a scheduled task from an immediate one, and every attempt of a task
    /// should relate to its send span the same way.
    /// </summary>
    public const string ScheduledHeader = "typedtasks-scheduled";

    public const string OutcomeSucceeded = "succeeded";
    public const string OutcomeRetried = "retried";
    public const string OutcomeDeadLettered = "dead_lettered";
    public const string OutcomeReleased = "released";
    public const string OutcomeCancelled = "cancelled";

    private const string TraceParentHeader = "traceparent";

    // The conventions' recommended boundaries for messaging durations, extended to hours for time spent in a queue
    // (delayed tasks and retries wait minutes to days).
    private static readonly double[] s_durationBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
    private static readonly double[] s_queueTimeBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600, 21600, 86400];

    public static readonly ActivitySource Source = new(TypedTasksDiagnostics.ActivitySourceName);

    public static readonly Meter Meter = new(TypedTasksDiagnostics.MeterName);

    public static readonly Counter<long> SentMessages = Meter.CreateCounter<long>(
        "messaging.client.sent.messages", "{message}", "Messages a client handed to the broker.");

    public static readonly Counter<long> ConsumedMessages = Meter.CreateCounter<long>(
        "messaging.client.consumed.messages", "{message}", "Deliveries a worker started to process (one per attempt; prefetched but unstarted ones are not counted).");

    public static readonly Histogram<double> ProcessDuration = Meter.CreateHistogram(
        "messaging.process.duration", "s", "Duration of one attempt: the actor's run and its settlement.",
        tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = s_durationBuckets });

    public static readonly Counter<long> ProcessedAttempts = Meter.CreateCounter<long>(
        "typedtasks.task.processed", "{attempt}", "Attempts finished, by typedtasks.outcome (succeeded, retried, dead_lettered, released).");

    public static readonly Counter<long> Retries = Meter.CreateCounter<long>(
        "typedtasks.task.retries", "{retry}", "Failed attempts scheduled to run again.");

    public static readonly Counter<long> DeadLetters = Meter.CreateCounter<long>(
        "typedtasks.task.dead_letters", "{message}", "Messages moved to the dead letters, by typedtasks.dead_letter.reason.");

    public static readonly Histogram<double> QueueTime = Meter.CreateHistogram(
        "typedtasks.task.queue_time", "s", "Time from when a message became runnable (enqueued, or due) to when its attempt started.",
        tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = s_queueTimeBuckets });

    public static readonly UpDownCounter<long> RunningTasks = Meter.CreateUpDownCounter<long>(
        "typedtasks.task.running", "{task}", "Attempts running right now.");

    /// <summary>Starts the <c>send {queue}</c> producer span of one message, or returns <see langword="null"/> when nobody listens.</summary>
    public static Activity? StartSend(TaskMessage message)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var activity = Source.StartActivity("send " + message.Queue, ActivityKind.Producer);
        if (activity is { IsAllDataRequested: true })
        {
            SetSendTags(activity, message.Queue);
            activity.SetTag("messaging.message.id", message.Id);
            activity.SetTag("typedtasks.actor", message.Actor);
        }

        return activity;
    }

    /// <summary>
    /// Starts one producer span for a whole batch (the conventions' choice for a batch send without per-message
    /// <c>create</c> spans): named <c>send {queue}</c> when every message shares a queue, <c>send</c> otherwise. Its
    /// context goes into every message, so each message's process span relates to it.
    /// </summary>
    public static Activity? StartSendBatch(TaskMessage[] messages)
    {
        if (!Source.HasListeners() || messages.Length == 0)
        {
            return null;
        }

        string? queue = messages[0].Queue;
        for (var i = 1; i < messages.Length; i++)
        {
            if (!string.Equals(messages[i].Queue, queue, StringComparison.Ordinal))
            {
                queue = null;
                break;
            }
        }

        var activity = Source.StartActivity(queue is null ? "send" : "send " + queue, ActivityKind.Producer);
        if (activity is { IsAllDataRequested: true })
        {
            SetSendTags(activity, queue);
            activity.SetTag("messaging.batch.message_count", messages.Length);
        }

        return activity;
    }

    /// <summary>Writes the current trace context (the send span, or the caller's own activity when TypedTasks'
    /// source has no listener) into the message's headers. A no-op outside any trace.</summary>
    public static TaskMessage InjectContext(TaskMessage message)
    {
        var current = Activity.Current;
        return current is null ? message : message with { Headers = HeadersWithContext(current, message.Headers) };
    }

    /// <summary>As <see cref="InjectContext(TaskMessage)"/> for a batch; messages without headers of their own share one
    /// read-only dictionary.</summary>
    public static void InjectContext(TaskMessage[] messages)
    {
        var current = Activity.Current;
        if (current is null)
        {
            return;
        }

        IReadOnlyDictionary<string, string>? shared = null;
        for (var i = 0; i < messages.Length; i++)
        {
            var headers = messages[i].Headers is { } own ? HeadersWithContext(current, own) : shared ??= HeadersWithContext(current, null);
            messages[i] = messages[i] with { Headers = headers };
        }
    }

    /// <summary>Counts sent messages and marks a failed send span.</summary>
    public static void RecordSent(Activity? activity, TaskMessage message, Exception? failure)
    {
        if (failure is not null)
        {
            MarkFailed(activity, failure.GetType().FullName, failure);
        }

        if (SentMessages.Enabled)
        {
            var tags = SendTagList(message.Queue, failure);
            SentMessages.Add(1, tags);
        }
    }

    /// <summary>Counts a batch's messages, by queue.</summary>
    public static void RecordSent(Activity? activity, TaskMessage[] messages, Exception? failure)
    {
        if (failure is not null)
        {
            MarkFailed(activity, failure.GetType().FullName, failure);
        }

        if (SentMessages.Enabled)
        {
            foreach (var message in messages)
            {
                var tags = SendTagList(message.Queue, failure);
                SentMessages.Add(1, tags);
            }
        }
    }

    /// <summary>
    /// Starts the <c>process {queue}</c> consumer span of one attempt, or returns <see langword="null"/> when nobody
    /// listens. Its parent is the send span carried in the headers, or (when <paramref name="parenting"/> asks for a link)
    /// it starts a new trace that links to it.
    /// </summary>
    public static Activity? StartProcess(TaskDelivery delivery, string actor, TraceParenting parenting, string? consumerGroup)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        var message = delivery.Message;
        var hasRemote = TryExtract(message.Headers, out var remote);

        // A processing loop inherits whatever activity was current when the worker started; an attempt is never its child.
        Activity.Current = null;
        var name = "process " + message.Queue;
        var activity = hasRemote && LinksToSender(message, parenting)
            ? Source.StartActivity(name, ActivityKind.Consumer, parentContext: default, tags: null, links: [new ActivityLink(remote)])
            : Source.StartActivity(name, ActivityKind.Consumer, hasRemote ? remote : default);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("messaging.system", MessagingSystem);
            activity.SetTag("messaging.operation.name", "process");
            activity.SetTag("messaging.operation.type", "process");
            activity.SetTag("messaging.destination.name", message.Queue);
            activity.SetTag("messaging.message.id", message.Id);
            if (consumerGroup is not null)
            {
                activity.SetTag("messaging.consumer.group.name", consumerGroup);
            }

            activity.SetTag("typedtasks.actor", actor);
            activity.SetTag("typedtasks.attempt", message.Attempt);
            activity.SetTag("typedtasks.delivery_count", delivery.DeliveryCount);
        }

        return activity;
    }

    /// <summary>Ends a process span with its outcome; a failure sets <c>error.type</c> and the error status.</summary>
    public static void StopProcess(Activity? activity, string outcome, string? errorType, Exception? failure)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag("typedtasks.outcome", outcome);
        if (errorType is not null)
        {
            MarkFailed(activity, errorType, failure);
        }

        activity.Dispose();
    }

    /// <summary>Counts an attempt as consumed and running and records how long its message waited to start.</summary>
    public static void RecordAttemptStarted(TaskMessage message, string actor, string? consumerGroup, TimeProvider time)
    {
        if (ConsumedMessages.Enabled)
        {
            ConsumedMessages.Add(1, ProcessTagList(message.Queue, actor, consumerGroup));
        }

        if (RunningTasks.Enabled)
        {
            RunningTasks.Add(1, ProcessTagList(message.Queue, actor, consumerGroup));
        }

        if (QueueTime.Enabled && message.EnqueuedAt != default)
        {
            // A delayed message or a retry waits by design until it is due: the lag counts from then.
            var runnableSince = message.DueAt is { } due && due > message.EnqueuedAt ? due : message.EnqueuedAt;
            QueueTime.Record(Math.Max(0, (time.GetUtcNow() - runnableSince).TotalSeconds), ProcessTagList(message.Queue, actor, consumerGroup));
        }
    }

    /// <summary>Records the end of an attempt: duration, outcome, retry or dead letter.</summary>
    public static void RecordAttemptFinished(
        TaskMessage message, string actor, string? consumerGroup, long startTimestamp, string outcome, string? errorType, DeadLetterReason? reason)
    {
        if (RunningTasks.Enabled)
        {
            RunningTasks.Add(-1, ProcessTagList(message.Queue, actor, consumerGroup));
        }

        if (ProcessDuration.Enabled)
        {
            var tags = ProcessTagList(message.Queue, actor, consumerGroup);
            tags.Add("typedtasks.outcome", outcome);
            if (errorType is not null)
            {
                tags.Add("error.type", errorType);
            }

            ProcessDuration.Record(Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds, tags);
        }

        if (ProcessedAttempts.Enabled)
        {
            var tags = ProcessTagList(message.Queue, actor, consumerGroup);
            tags.Add("typedtasks.outcome", outcome);
            ProcessedAttempts.Add(1, tags);
        }

        if (ReferenceEquals(outcome, OutcomeRetried) && Retries.Enabled)
        {
            var tags = ProcessTagList(message.Queue, actor, consumerGroup);
            if (errorType is not null)
            {
                tags.Add("error.type", errorType);
            }

            Retries.Add(1, tags);
        }

        if (reason is { } deadLetterReason && DeadLetters.Enabled)
        {
            var tags = ProcessTagList(message.Queue, actor, consumerGroup);
            tags.Add("typedtasks.dead_letter.reason", deadLetterReason.ToString());
            DeadLetters.Add(1, tags);
        }
    }

    /// <summary>
    /// The retry of <paramref name="current"/>, marked as scheduled when <see cref="TraceParenting.Auto"/> linked its
    /// first attempt, so later attempts link too (see <see cref="ScheduledHeader"/>). Allocates only for the retry of
    /// a traced, scheduled task.
    /// </summary>
    public static TaskMessage MarkRetry(TaskMessage current, TaskMessage next, TraceParenting parenting)
    {
        if (parenting != TraceParenting.Auto
            || current.Attempt != 1
            || !IsScheduled(current)
            || current.Headers is not { } headers
            || !headers.ContainsKey(TraceParentHeader)
            || headers.ContainsKey(ScheduledHeader))
        {
            return next;
        }

        var marked = new Dictionary<string, string>(headers, StringComparer.Ordinal) { [ScheduledHeader] = "1" };
        return next with { Headers = marked };
    }

    /// <summary>Whether an attempt's span starts a new trace linked to the send span, rather than a child of it.</summary>
    internal static bool LinksToSender(TaskMessage message, TraceParenting parenting) => parenting switch
    {
        TraceParenting.Child => false,
        TraceParenting.Link => true,
        _ => message.Attempt == 1 ? IsScheduled(message) : message.Headers?.ContainsKey(ScheduledHeader) == true,
    };

    private static bool IsScheduled(TaskMessage message) => message.DueAt is { } due && due > message.EnqueuedAt;

    private static bool TryExtract(IReadOnlyDictionary<string, string>? headers, out ActivityContext context)
    {
        context = default;
        if (headers is null || headers.Count == 0)
        {
            return false;
        }

        DistributedContextPropagator.Current.ExtractTraceIdAndState(headers, static (object? carrier, string name, out string? value, out IEnumerable<string>? values) =>
        {
            values = null;
            value = ((IReadOnlyDictionary<string, string>)carrier!).TryGetValue(name, out var found) ? found : null;
        }, out var traceParent, out var traceState);
        return traceParent is not null && ActivityContext.TryParse(traceParent, traceState, isRemote: true, out context);
    }

    private static Dictionary<string, string> HeadersWithContext(Activity current, IReadOnlyDictionary<string, string>? existing)
    {
        var headers = existing is null ? new Dictionary<string, string>(2, StringComparer.Ordinal) : new Dictionary<string, string>(existing, StringComparer.Ordinal);
        DistributedContextPropagator.Current.Inject(current, headers, static (carrier, name, value) => ((Dictionary<string, string>)carrier!)[name] = value);
        return headers;
    }

    private static void SetSendTags(Activity activity, string? queue)
    {
        activity.SetTag("messaging.system", MessagingSystem);
        activity.SetTag("messaging.operation.name", "send");
        activity.SetTag("messaging.operation.type", "send");
        if (queue is not null)
        {
            activity.SetTag("messaging.destination.name", queue);
        }
    }

    private static TagList SendTagList(string queue, Exception? failure)
    {
        var tags = new TagList
        {
            { "messaging.system", MessagingSystem },
            { "messaging.operation.name", "send" },
            { "messaging.destination.name", queue },
        };
        if (failure is not null)
        {
            tags.Add("error.type", failure.GetType().FullName);
        }

        return tags;
    }

    private static TagList ProcessTagList(string queue, string actor, string? consumerGroup)
    {
        var tags = new TagList
        {
            { "messaging.system", MessagingSystem },
            { "messaging.operation.name", "process" },
            { "messaging.destination.name", queue },
            { "typedtasks.actor", actor },
        };
        if (consumerGroup is not null)
        {
            tags.Add("messaging.consumer.group.name", consumerGroup);
        }

        return tags;
    }

    private static void MarkFailed(Activity? activity, string? errorType, Exception? failure)
    {
        if (activity is null)
        {
            return;
        }

        activity.SetTag("error.type", errorType ?? "_OTHER");
        activity.SetStatus(ActivityStatusCode.Error, failure?.Message);
        if (failure is not null)
        {
            activity.AddException(failure);
        }
    }
}
