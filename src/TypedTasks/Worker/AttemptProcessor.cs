using System;
using System.Buffers;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TypedTasks.Brokers;
using TypedTasks.Generated;
using TypedTasks.Workflows;

namespace TypedTasks;

/// <summary>
/// Runs one attempt of one delivery and settles it with the broker: ack, retry, dead letter or release.
/// Never throws: every failure ends in a settlement or a log entry.
/// </summary>
internal sealed class AttemptProcessor
{
    // Outstanding acks allowed per processing slot: enough to keep the broker's ack batches full while slots run the
    // next tasks, small enough that a stalled broker holds only a few deliveries per slot in memory.
    private const int MaxOutstandingAcksPerSlot = 4;

    private readonly ITaskBroker _broker;
    private readonly ITaskConsumer _consumer;
    private readonly WorkerOptions _options;
    private readonly IServiceScopeFactory? _scopeFactory;
    private readonly ProcessDelegate? _pipeline;
    private readonly TimeProvider _time;
    private readonly Func<double> _jitter;
    private readonly ILogger _logger;
    private readonly OutstandingAcks _acks;
    private readonly string? _consumerGroup;
    private readonly TaskCancellations? _cancellations;
    private readonly AttemptSlot[]? _slots;
    private readonly Action<string>? _onCancelled;
    private readonly WorkflowEngine? _workflows;

    public AttemptProcessor(ITaskBroker broker, ITaskConsumer consumer, WorkerOptions options, IServiceScopeFactory? scopeFactory, ILogger logger, AttemptSlot[]? slots = null)
    {
        _broker = broker;
        _consumer = consumer;
        _options = options;
        _scopeFactory = scopeFactory;
        _time = options.TimeProvider;
        _jitter = options.Jitter ?? NextSharedRandom;
        _logger = logger;
        _pipeline = BuildPipeline(options.Middleware);
        _acks = new OutstandingAcks(options.Concurrency * MaxOutstandingAcksPerSlot);
        _consumerGroup = consumer.ConsumerGroup;
        _cancellations = consumer.Cancellations;
        // Continuations go straight to the broker (no send middleware: there is no client on a worker), stamped with
        // the worker's clock; building the engine costs nothing per task.
        _workflows = broker.Workflows is null ? null : new WorkflowEngine(broker, new TaskClient(broker, Array.Empty<ISendMiddleware>(), _time), _time);
        if (_cancellations is not null && slots is not null)
        {
            _slots = slots;
            _onCancelled = CancelRunning;
            _cancellations.Cancelled += _onCancelled;
        }
    }

    /// <summary>Stops listening for cancellations (the worker is stopping).</summary>
    public void DetachCancellations()
    {
        if (_onCancelled is not null)
        {
            _cancellations!.Cancelled -= _onCancelled;
        }
    }

    /// <summary>A cancellation arrived: fire the token of the slot running that task, if any. A scan of the slots (as
    /// many as the concurrency) on a rare event costs less than tracking every attempt in a shared map.</summary>
    private void CancelRunning(string taskId)
    {
        foreach (var slot in _slots!)
        {
            slot.CancelIfRunning(taskId);
        }
    }

    /// <summary>Completes once every ack issued so far is confirmed or given up; the consumer must outlive them.</summary>
    public Task WhenAcksDrainedAsync() => _acks.WhenDrainedAsync();

    /// <summary>How many acks are issued but not yet confirmed or given up.</summary>
    public int OutstandingAckCount => _acks.Count;

    /// <summary>Processes <paramref name="pending"/>; <paramref name="abortToken"/> fires when shutdown gives up waiting.</summary>
    public async Task ProcessAsync(PendingDelivery pending, ArrayBufferWriter<byte> resultWriter, AttemptSlot? slot, CancellationToken abortToken)
    {
        var delivery = pending.Delivery;
        var message = delivery.Message;
        var actorName = pending.Actor?.Name ?? message.Actor;
        var started = Stopwatch.GetTimestamp();
        var result = AttemptResult.Unsettled;
        Activity? activity = null;
        try
        {
            // The span starts here, when a processing slot takes the delivery: a message merely prefetched gets none.
            activity = TaskInstrumentation.StartProcess(delivery, actorName, ParentingOf(pending.Actor), _consumerGroup);
            TaskInstrumentation.RecordAttemptStarted(message, actorName, _consumerGroup, _time);
            if (_cancellations?.Contains(message.Id) == true || (message.Headers is not null && await IsStepOfEndedWorkflowAsync(message).ConfigureAwait(false)))
            {
                result = await SkipCancelledAsync(delivery, pending.Actor, actorName).ConfigureAwait(false);
            }
            else
            {
                result = pending.Actor is null
                    ? await RejectUnknownActorAsync(delivery).ConfigureAwait(false)
                    : await RunAttemptAsync(delivery, pending.Actor, resultWriter, slot, abortToken).ConfigureAwait(false);
            }
        }
        catch (Exception exception)
        {
            // Only a bug in this class (or a throwing logger) lands here; the loop must survive it.
            result = new AttemptResult(TaskInstrumentation.OutcomeReleased, exception.GetType().FullName, exception);
            WorkerLog.ProcessingCrashed(_logger, exception, message.Id);
        }
        finally
        {
            try
            {
                TaskInstrumentation.StopProcess(activity, result.Outcome, result.ErrorType, result.Failure);
                TaskInstrumentation.RecordAttemptFinished(message, actorName, _consumerGroup, started, result.Outcome, result.ErrorType, result.DeadLetterReason);
            }
            catch (Exception exception)
            {
                // A throwing metrics or trace listener must not take the processing loop down.
                WorkerLog.ProcessingCrashed(_logger, exception, message.Id);
            }
        }
    }

    /// <summary>
    /// Whether <paramref name="message"/> is a step of a workflow that has ended (cancelled, or failed): such a step
    /// must not start. The engine decides the final state before it cancels the steps one by one, and each cancellation
    /// is announced on its own (on Redis Cluster through different nodes), so a worker may reach a step before its
    /// announcement: the final state settles it. One read, for workflow steps only; a plain task costs nothing here.
    /// </summary>
    private async ValueTask<bool> IsStepOfEndedWorkflowAsync(TaskMessage message)
    {
        if (_workflows is null || !WorkflowHeader.TryRead(message, out var step))
        {
            return false;
        }

        try
        {
            // The step whose failure ended the workflow is not skipped: its redelivery (its worker died before it
            // settled) runs it again, so that it is dead-lettered like any failed task.
            return await _broker.Workflows!.GetFinalAsync(step.WorkflowId).ConfigureAwait(false) is { State: WorkflowState.Cancelled or WorkflowState.Failed } final
                && final.Step != step.Step;
        }
        catch (Exception exception)
        {
            // The announcement still reaches a running step; running it is the at-least-once side of the trade.
            WorkerLog.ProcessingCrashed(_logger, exception, message.Id);
            return false;
        }
    }

    private TraceParenting ParentingOf(ActorDescriptor? actor) =>
        actor is not null && actor.Options.TraceParenting != TraceParenting.Auto ? actor.Options.TraceParenting : _options.DefaultTraceParenting;

    /// <summary>Hands back a delivery that was fetched but never started.</summary>
    public ValueTask<bool> ReleaseAsync(TaskDelivery delivery) =>
        CallBrokerAsync("Release", delivery.Message, (_consumer, delivery), static s => s._consumer.ReleaseAsync(s.delivery));

    /// <summary>
    /// A task cancelled before it started: acknowledged (which releases its unique key) without running. Its outcome
    /// (<see cref="DeadLetterReason.Cancelled"/>) was stored by the cancel call itself.
    /// </summary>
    private async Task<AttemptResult> SkipCancelledAsync(TaskDelivery delivery, ActorDescriptor? actor, string actorName)
    {
        WorkerLog.SkippedCancelled(_logger, delivery.Message.Id, actorName);
        return await SettleCancelledAsync(delivery, TaskStatusTracking.IsTracked(delivery.Message, actor?.Options.TrackStatus ?? false)).ConfigureAwait(false);
    }

    /// <summary>
    /// Acknowledges a cancelled task (which releases its unique key). A tracked task's record ends
    /// <see cref="TaskState.Cancelled"/> too, so that it does not stay at queued or running once the outcome the cancel
    /// call stored has expired.
    /// </summary>
    private async Task<AttemptResult> SettleCancelledAsync(TaskDelivery delivery, bool tracked)
    {
        var message = delivery.Message;
        if (WorkflowHeader.TryRead(message, out var step)
            && !await HandOverAsync(message, step, new TaskOutcome(false, ReadOnlyMemory<byte>.Empty, TaskError.ForCancellation(), _time.GetUtcNow())).ConfigureAwait(false))
        {
            await ReleaseAsync(delivery).ConfigureAwait(false);
            return AttemptResult.Unsettled;
        }

        var acked = await CallBrokerAsync("Ack", message, (_consumer, delivery), static s => s._consumer.AckAsync(s.delivery)).ConfigureAwait(false);
        if (acked && tracked)
        {
            await RecordStatusAsync(message, new TaskStatusUpdate(TaskState.Cancelled, _time.GetUtcNow())
            {
                Attempt = message.Attempt,
                EnqueuedAt = message.EnqueuedAt,
                Error = TaskError.ForCancellation(),
            }, _options.ResultTimeToLive).ConfigureAwait(false);
        }

        return acked ? AttemptResult.Cancelled : AttemptResult.Unsettled;
    }

    private async Task<AttemptResult> RunAttemptAsync(TaskDelivery delivery, ActorDescriptor actor, ArrayBufferWriter<byte> resultWriter, AttemptSlot? slot, CancellationToken abortToken)
    {
        var message = delivery.Message;
        var storesOutcome = actor.HasResult || actor.Options.StoreResults;
        var tracked = TaskStatusTracking.IsTracked(message, actor.Options.TrackStatus);
        var maxAge = actor.Options.MaxAge ?? _options.DefaultMaxAge;
        if (maxAge is { } ageLimit && message.EnqueuedAt != default)
        {
            var age = _time.GetUtcNow() - message.EnqueuedAt;
            if (age > ageLimit)
            {
                var expired = new TaskError(
                    DeadLetterReason.Expired,
                    nameof(DeadLetterReason.Expired),
                    $"The message is {age} old, past the age limit of {ageLimit}; it was not run.");
                return await DeadLetterAsync(delivery, actor, expired, storesOutcome, tracked, exception: null).ConfigureAwait(false);
            }
        }

        var timeLimit = actor.Options.TimeLimit ?? _options.DefaultTimeLimit;
        CancellationTokenSource? timeLimitSource = null;
        CancellationTokenSource? linkedSource = null;
        // The slot's token is linked to the abort token and also fires when the task is cancelled.
        var token = slot?.Begin(message.Id) ?? abortToken;
        if (timeLimit is { } limit)
        {
            timeLimitSource = new CancellationTokenSource(limit, _time);
            linkedSource = CancellationTokenSource.CreateLinkedTokenSource(token, timeLimitSource.Token);
            token = linkedSource.Token;
        }

        // Not awaited before the actor runs: the write travels while it works. Later writes of the attempt are issued
        // after it on the same connection (and the store's rank rule refuses them out of order anyway), so nobody
        // waits for it: the ack, or the end of a failed attempt, observes it.
        var runningWrite = tracked
            ? RecordStatusAsync(message, new TaskStatusUpdate(TaskState.Running, _time.GetUtcNow())
            {
                Attempt = message.Attempt,
                Worker = _consumer.Name ?? _options.ConsumerName,
                EnqueuedAt = message.EnqueuedAt,
            }, _options.ResultTimeToLive)
            : null;
        var progress = actor.ReportsProgress
            ? new TaskProgress(_broker.Status, message.Id, _options.ResultTimeToLive, _time, e => WorkerLog.ProgressWriteFailed(_logger, e, message.Id))
            : null;

        Exception? failure;
        bool timedOut;
        bool cancelled;
        try
        {
            resultWriter.ResetWrittenCount();
            failure = await InvokeAsync(delivery, actor, resultWriter, progress, token).ConfigureAwait(false);
            // Whatever the actor threw after its time limit fired (usually an OperationCanceledException, sometimes a
            // wrapper such as an HttpClient timeout) is blamed on the limit.
            timedOut = failure is not null && timeLimitSource?.IsCancellationRequested == true;
        }
        finally
        {
            slot?.End();
            cancelled = slot?.CancelledByRequest == true;
            linkedSource?.Dispose();
            timeLimitSource?.Dispose();
        }

        if (progress is not null)
        {
            // The last report lands before the attempt's end is recorded.
            await progress.FlushAsync().ConfigureAwait(false);
        }

        if (failure is null)
        {
            // An actor that finished although its task was cancelled did the work: its result stands.
            return await CompleteAsync(delivery, actor, storesOutcome, tracked, runningWrite, resultWriter).ConfigureAwait(false);
        }

        try
        {
            if (cancelled)
            {
                // Whatever the actor threw after its token fired is the cancellation's doing: no retry, no dead letter.
                // The ack removes the message and releases its unique key; the cancel call stored the outcome.
                WorkerLog.CancelledWhileRunning(_logger, message.Id, actor.Name, message.Attempt);
                return await SettleCancelledAsync(delivery, tracked).ConfigureAwait(false);
            }

            if (abortToken.IsCancellationRequested && !timedOut)
            {
                // Shutdown cancelled the attempt: whatever the actor threw is a consequence of that, not a failure
                // of the task. Hand the message back untouched so another worker runs it at once.
                WorkerLog.InterruptedByShutdown(_logger, message.Id, actor.Name);
                await ReleaseAsync(delivery).ConfigureAwait(false);
                return AttemptResult.Unsettled;
            }

            return await FailAsync(delivery, actor, storesOutcome, tracked, failure, timedOut).ConfigureAwait(false);
        }
        finally
        {
            if (runningWrite is not null)
            {
                await runningWrite.ConfigureAwait(false);
            }
        }
    }

    private async ValueTask<Exception?> InvokeAsync(TaskDelivery delivery, ActorDescriptor actor, ArrayBufferWriter<byte> resultWriter, TaskProgress? progress, CancellationToken token)
    {
        AsyncServiceScope scope = default;
        var hasScope = false;
        // The scope provider is shared by every logger of one factory, so the actor's own ILogger lines carry these too.
        var message = delivery.Message;
        using var logScope = _logger.BeginScope(new TaskLogScope(message.Id, actor.Name, message.Attempt, message.Queue));
        try
        {
            IServiceProvider? services = null;
            if (_scopeFactory is not null)
            {
                scope = _scopeFactory.CreateAsyncScope();
                hasScope = true;
                services = scope.ServiceProvider;
            }

            if (_pipeline is null)
            {
                await actor.InvokeAsync(new ActorInvocation(delivery.Message.Arguments, services, resultWriter, token) { Progress = progress }).ConfigureAwait(false);
            }
            else
            {
                var context = new TaskContext(delivery, actor, services, token) { ResultWriter = resultWriter, Progress = progress };
                await _pipeline(context).ConfigureAwait(false);
            }

            return null;
        }
        catch (Exception exception)
        {
            return exception;
        }
        finally
        {
            if (hasScope)
            {
                try
                {
                    await scope.DisposeAsync().ConfigureAwait(false);
                }
                catch (Exception exception)
                {
                    // The attempt's outcome stands: re-running a finished actor because a service failed to
                    // dispose would repeat its side effects.
                    WorkerLog.ScopeDisposeFailed(_logger, exception, delivery.Message.Id, actor.Name);
                }
            }
        }
    }

    private async Task<AttemptResult> CompleteAsync(TaskDelivery delivery, ActorDescriptor actor, bool storesOutcome, bool tracked, Task? runningWrite, ArrayBufferWriter<byte> resultWriter)
    {
        var message = delivery.Message;
        if (storesOutcome)
        {
            // The writer is reused by the next attempt, so the stored value needs its own copy.
            var value = resultWriter.WrittenCount == 0 ? ReadOnlyMemory<byte>.Empty : resultWriter.WrittenSpan.ToArray();
            var outcome = new TaskOutcome(true, value, null, _time.GetUtcNow());
            if (!await StoreOutcomeAsync(message, outcome).ConfigureAwait(false))
            {
                if (runningWrite is not null)
                {
                    await runningWrite.ConfigureAwait(false);
                }

                // Acking without the outcome would lose the result for good; leave the message to redelivery.
                await ReleaseAsync(delivery).ConfigureAwait(false);
                return AttemptResult.Unsettled;
            }
        }

        if (WorkflowHeader.TryRead(message, out var step))
        {
            // Before the ack: a worker that dies during the hand-over leaves the step pending, and its redelivery
            // repeats the hand-over (every part of it is idempotent), so no continuation is lost or enqueued twice.
            var value = resultWriter.WrittenCount == 0 ? ReadOnlyMemory<byte>.Empty : resultWriter.WrittenSpan.ToArray();
            if (!await HandOverAsync(message, step, new TaskOutcome(true, value, null, _time.GetUtcNow())).ConfigureAwait(false))
            {
                if (runningWrite is not null)
                {
                    await runningWrite.ConfigureAwait(false);
                }

                await ReleaseAsync(delivery).ConfigureAwait(false);
                return AttemptResult.Unsettled;
            }
        }

        // After the outcome (a task whose outcome could not be stored runs again), awaited by the ack: a tracked task
        // pays no extra round trip in its slot.
        var finishedWrite = tracked
            ? RecordStatusAsync(message, new TaskStatusUpdate(TaskState.Succeeded, _time.GetUtcNow()) { Attempt = message.Attempt, EnqueuedAt = message.EnqueuedAt }, _options.ResultTimeToLive)
            : null;

        // The slot does not wait for the broker to confirm: a no-op actor would otherwise spend nearly all of its slot's
        // time waiting for an ack round trip. The entry stays in the broker until the ack lands (at-least-once is
        // unchanged), and shutdown waits for every outstanding ack before disposing the consumer.
        await _acks.EnterAsync().ConfigureAwait(false);
        _ = AckAsync(delivery, actor, runningWrite is null ? finishedWrite : WhenBothAsync(runningWrite, finishedWrite));
        return AttemptResult.Succeeded;
    }

    private async Task AckAsync(TaskDelivery delivery, ActorDescriptor actor, Task? statusWrite)
    {
        try
        {
            var message = delivery.Message;
            await CallBrokerAsync("Ack", message, (_consumer, delivery), static s => s._consumer.AckAsync(s.delivery)).ConfigureAwait(false);
            if (statusWrite is not null)
            {
                await statusWrite.ConfigureAwait(false);
            }

            WorkerLog.AttemptSucceeded(_logger, message.Id, actor.Name, message.Attempt);
        }
        catch (Exception exception)
        {
            // Only a throwing logger lands here; nobody observes this task, so the failure must be logged, not thrown.
            WorkerLog.ProcessingCrashed(_logger, exception, delivery.Message.Id);
        }
        finally
        {
            _acks.Exit();
        }
    }

    private async Task<AttemptResult> FailAsync(TaskDelivery delivery, ActorDescriptor actor, bool storesOutcome, bool tracked, Exception failure, bool timedOut)
    {
        var message = delivery.Message;
        DeadLetterReason? finalReason;
        if (failure is TaskArgumentException)
        {
            finalReason = DeadLetterReason.InvalidArguments;
        }
        else if (failure is NonRetryableException || !ShouldRetry(actor, message, failure))
        {
            finalReason = DeadLetterReason.NonRetryable;
        }
        else if (message.Attempt > (actor.Options.MaxRetries ?? _options.DefaultMaxRetries))
        {
            finalReason = timedOut ? DeadLetterReason.TimeLimitExceeded : DeadLetterReason.RetriesExhausted;
        }
        else
        {
            finalReason = null;
        }

        if (finalReason is { } reason)
        {
            return await DeadLetterAsync(delivery, actor, TaskError.FromException(reason, failure), storesOutcome, tracked, failure).ConfigureAwait(false);
        }
        else
        {
            var delay = RetryBackoff.Compute(
                message.Attempt,
                actor.Options.MinBackoff ?? _options.DefaultMinBackoff,
                actor.Options.MaxBackoff ?? _options.DefaultMaxBackoff,
                _jitter());
            var next = message with { Attempt = message.Attempt + 1, DueAt = _time.GetUtcNow() + delay };
            next = TaskInstrumentation.MarkRetry(message, next, ParentingOf(actor));
            WorkerLog.AttemptFailedRetrying(_logger, failure, message.Id, actor.Name, message.Attempt, delay);
            // The status write and the retry are started together (pipelined); a retry that could not be scheduled
            // leaves the delivery to redelivery, whose "running" outranks this "retrying" only with a later attempt,
            // so the record may say retrying until then.
            var retryingWrite = tracked
                ? RecordStatusAsync(message, new TaskStatusUpdate(TaskState.Retrying, _time.GetUtcNow())
                {
                    Attempt = message.Attempt,
                    NextAttemptAt = next.DueAt,
                    Error = TaskError.FromException(timedOut ? DeadLetterReason.TimeLimitExceeded : DeadLetterReason.RetriesExhausted, failure),
                }, _options.ResultTimeToLive + delay)
                : null;
            var retried = await CallBrokerAsync("Retry", message, (_consumer, delivery, next), static s => s._consumer.RetryAsync(s.delivery, s.next)).ConfigureAwait(false);
            if (retryingWrite is not null)
            {
                await retryingWrite.ConfigureAwait(false);
            }

            return new AttemptResult(retried ? TaskInstrumentation.OutcomeRetried : TaskInstrumentation.OutcomeReleased, failure.GetType().FullName, failure);
        }
    }

    private bool ShouldRetry(ActorDescriptor actor, TaskMessage message, Exception failure)
    {
        try
        {
            return actor.ShouldRetry(failure);
        }
        catch (Exception exception)
        {
            // A broken filter must not lose the message; retrying is the conservative choice.
            WorkerLog.ProcessingCrashed(_logger, exception, message.Id);
            return true;
        }
    }

    private async Task<AttemptResult> RejectUnknownActorAsync(TaskDelivery delivery)
    {
        var message = delivery.Message;
        var consumerName = _consumer.Name ?? _options.ConsumerName ?? "(unnamed)";
        if (message.Attempt <= _options.UnknownActorMaxRetries)
        {
            // A rolling deploy: a newer producer may already send to an actor that only newer workers know. Retrying
            // through the broker's atomic RetryAsync puts the message back where any worker of the queue can take it.
            var delay = RetryBackoff.Compute(message.Attempt, _options.UnknownActorMinBackoff, _options.UnknownActorMaxBackoff, _jitter());
            var next = message with { Attempt = message.Attempt + 1, DueAt = _time.GetUtcNow() + delay };
            next = TaskInstrumentation.MarkRetry(message, next, _options.DefaultTraceParenting);
            WorkerLog.UnknownActorRetrying(_logger, message.Id, message.Actor, message.Queue, consumerName, message.Attempt, delay);
            var retried = await CallBrokerAsync("Retry", message, (_consumer, delivery, next), static s => s._consumer.RetryAsync(s.delivery, s.next)).ConfigureAwait(false);
            return new AttemptResult(retried ? TaskInstrumentation.OutcomeRetried : TaskInstrumentation.OutcomeReleased, nameof(DeadLetterReason.UnknownActor), null);
        }

        var error = new TaskError(
            DeadLetterReason.UnknownActor,
            nameof(DeadLetterReason.UnknownActor),
            $"No actor named '{message.Actor}' is registered on worker '{consumerName}' (queue '{message.Queue}'), which saw attempt {message.Attempt}; "
            + $"it was retried {message.Attempt - 1} time(s) in case a worker that knows it was being deployed. Deploy a worker that registers it, then requeue the dead letter.");

        // A client may be waiting on the result; a failed outcome makes it fail fast instead of timing out.
        return await DeadLetterAsync(delivery, actor: null, error, storesOutcome: true, TaskStatusTracking.IsTracked(message, actorDefault: false), exception: null).ConfigureAwait(false);
    }

    private async Task<AttemptResult> DeadLetterAsync(TaskDelivery delivery, ActorDescriptor? actor, TaskError error, bool storesOutcome, bool tracked, Exception? exception)
    {
        var message = delivery.Message;
        if (WorkflowHeader.TryRead(message, out var step)
            && !await HandOverAsync(message, step, new TaskOutcome(false, ReadOnlyMemory<byte>.Empty, error, _time.GetUtcNow())).ConfigureAwait(false))
        {
            // Before the dead letter, which settles the delivery: see CompleteAsync.
            await ReleaseAsync(delivery).ConfigureAwait(false);
            return new AttemptResult(TaskInstrumentation.OutcomeReleased, exception?.GetType().FullName ?? error.Reason.ToString(), exception);
        }

        WorkerLog.DeadLettered(_logger, exception, message.Id, actor?.Name ?? message.Actor, message.Attempt, error.Reason);
        // The dead letter first, the outcome second: a caller that sees the failure can list and requeue the dead
        // letter at once. Writing the outcome is best effort, since the dead letter itself keeps the error. A dead
        // letter that could not be written leaves the delivery pending: it is redelivered, so no outcome yet.
        var recorded = await CallBrokerAsync("DeadLetter", message, (_consumer, delivery, error), static s => s._consumer.DeadLetterAsync(s.delivery, s.error)).ConfigureAwait(false);
        var finishedWrite = recorded && tracked
            ? RecordStatusAsync(message, new TaskStatusUpdate(Brokers.TaskStatusRules.StateOf(error), _time.GetUtcNow())
            {
                Attempt = message.Attempt,
                EnqueuedAt = message.EnqueuedAt,
                Error = error,
            }, _options.ResultTimeToLive)
            : null;
        if (recorded && storesOutcome)
        {
            await StoreOutcomeAsync(message, new TaskOutcome(false, ReadOnlyMemory<byte>.Empty, error, _time.GetUtcNow())).ConfigureAwait(false);
        }

        if (finishedWrite is not null)
        {
            await finishedWrite.ConfigureAwait(false);
        }

        var errorType = exception?.GetType().FullName ?? error.Reason.ToString();
        return recorded
            ? new AttemptResult(TaskInstrumentation.OutcomeDeadLettered, errorType, exception, error.Reason)
            : new AttemptResult(TaskInstrumentation.OutcomeReleased, errorType, exception);
    }

    /// <summary>Hands a finished workflow step over (<see cref="WorkflowEngine.HandOverAsync"/>); <see langword="false"/>
    /// when that failed and the delivery must be left to redelivery.</summary>
    private async ValueTask<bool> HandOverAsync(TaskMessage message, WorkflowHeader step, TaskOutcome outcome)
    {
        if (_workflows is null)
        {
            WorkerLog.WorkflowsUnsupported(_logger, message.Id, _broker.GetType().Name);
            return true;
        }

        try
        {
            // Not cancellable, like settlement: a step that ran must be handed over even while the worker stops.
            await _workflows.HandOverAsync(step, outcome).ConfigureAwait(false);
            return true;
        }
        catch (Exception exception)
        {
            WorkerLog.WorkflowHandOverFailed(_logger, exception, message.Id);
            return false;
        }
    }

    private static async Task WhenBothAsync(Task? first, Task? second)
    {
        if (first is not null)
        {
            await first.ConfigureAwait(false);
        }

        if (second is not null)
        {
            await second.ConfigureAwait(false);
        }
    }

    /// <summary>Records a status update; never throws (status is an observation of the task, not part of it).</summary>
    private async Task RecordStatusAsync(TaskMessage message, TaskStatusUpdate update, TimeSpan timeToLive)
    {
        try
        {
            await _broker.Status.RecordAsync(message.Id, update, timeToLive).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            WorkerLog.StatusWriteFailed(_logger, exception, message.Id);
        }
    }

    private ValueTask<bool> StoreOutcomeAsync(TaskMessage message, TaskOutcome outcome) =>
        CallBrokerAsync("StoreOutcome", message, (_broker.Results, message.Id, outcome, _options.ResultTimeToLive), static s => s.Results.SetAsync(s.Id, s.outcome, s.ResultTimeToLive));

    /// <summary>
    /// Calls the broker once. Riding out an outage is the broker's job (the Redis broker retries settlement for
    /// <c>CommandRetryTimeout</c>): retrying here as well would multiply the waits. A call that still fails leaves the
    /// delivery to the broker's redelivery. Settlement is not cancellable: an attempt that ran must be recorded even
    /// while the worker stops.
    /// </summary>
    private async ValueTask<bool> CallBrokerAsync<TState>(string operation, TaskMessage message, TState state, Func<TState, ValueTask> call)
    {
        try
        {
            await call(state).ConfigureAwait(false);
            return true;
        }
        catch (Exception exception)
        {
            WorkerLog.BrokerCallAbandoned(_logger, exception, operation, message.Id);
            return false;
        }
    }

    private static ProcessDelegate? BuildPipeline(IList<IProcessMiddleware> middleware)
    {
        if (middleware.Count == 0)
        {
            return null;
        }

        // Built once per worker, innermost first, so the per-message path allocates no closures.
        ProcessDelegate next = InvokeActorAsync;
        for (var i = middleware.Count - 1; i >= 0; i--)
        {
            next = new MiddlewareStep(middleware[i], next).InvokeAsync;
        }

        return next;
    }

    private static ValueTask InvokeActorAsync(TaskContext context) =>
        context.Actor.InvokeAsync(new ActorInvocation(context.Message.Arguments, context.Services, context.ResultWriter!, context.CancellationToken) { Progress = context.Progress });

    private static double NextSharedRandom() => Random.Shared.NextDouble();

    private sealed class MiddlewareStep(IProcessMiddleware middleware, ProcessDelegate next)
    {
        public ValueTask InvokeAsync(TaskContext context) => middleware.ProcessAsync(context, next);
    }

    /// <summary>How one attempt ended, for its span and metrics. <see cref="Unsettled"/>: handed back or left to redelivery.</summary>
    private readonly record struct AttemptResult(string Outcome, string? ErrorType, Exception? Failure, DeadLetterReason? DeadLetterReason = null)
    {
        public static AttemptResult Succeeded => new(TaskInstrumentation.OutcomeSucceeded, null, null);

        public static AttemptResult Unsettled => new(TaskInstrumentation.OutcomeReleased, null, null);

        public static AttemptResult Cancelled => new(TaskInstrumentation.OutcomeCancelled, nameof(TypedTasks.DeadLetterReason.Cancelled), null);
    }
}
