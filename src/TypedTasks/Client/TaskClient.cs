using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using TypedTasks.Workflows;

namespace TypedTasks;

/// <summary>
/// The standard <see cref="ITaskClient"/>: stamps messages with the enqueue time, resolves relative delays, runs the
/// send middleware and hands the message to the broker.
/// </summary>
public sealed class TaskClient : ITaskClient
{
    private static ITaskClient? s_default;

    private readonly ITaskBroker _broker;
    private readonly ISendMiddleware[] _middleware;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates a client over <paramref name="broker"/>.</summary>
    public TaskClient(ITaskBroker broker)
        : this(broker, Array.Empty<ISendMiddleware>(), TimeProvider.System)
    {
    }

    /// <summary>Creates a client with send middleware (outermost first) and a clock.</summary>
    public TaskClient(ITaskBroker broker, IEnumerable<ISendMiddleware> middleware, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(broker);
        ArgumentNullException.ThrowIfNull(middleware);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _broker = broker;
        _middleware = [.. middleware];
        _timeProvider = timeProvider;
    }

    /// <summary>
    /// The ambient client used by generated <c>Tasks.X.SendAsync(...)</c> overloads that take no client. Set once at
    /// start-up (hosting does it for you); tests that run in parallel pass an explicit client instead.
    /// </summary>
    /// <exception cref="InvalidOperationException">Read before anything set it.</exception>
    public static ITaskClient Default
    {
        get => Volatile.Read(ref s_default) ?? throw new InvalidOperationException(
            "No default TaskClient is configured. Call services.AddTypedTasks(...) in a host, set TaskClient.Default = new TaskClient(broker) at start-up, or pass a client explicitly to SendAsync.");
        set => Volatile.Write(ref s_default, value);
    }

    /// <summary>Whether <see cref="Default"/> has been set.</summary>
    public static bool HasDefault => Volatile.Read(ref s_default) is not null;

    /// <inheritdoc />
    public ITaskResultStore Results => _broker.Results;

    /// <inheritdoc />
    public ITaskStatusStore Status => _broker.Status;

    /// <inheritdoc />
    public ValueTask<TaskStatusInfo> GetStatusAsync(string taskId, CancellationToken cancellationToken = default) =>
        _broker.Status.GetAsync(taskId, cancellationToken);

    /// <summary>The broker this client sends to.</summary>
    public ITaskBroker Broker => _broker;

    /// <summary>Track the status of every task this client sends whose request leaves it open
    /// (<see cref="TaskRequest.TrackStatus"/> <see langword="null"/>: neither the actor nor the send decided). Default
    /// <see langword="false"/>.</summary>
    public bool TrackStatus { get; init; }

    /// <summary>How long the "queued" record a tracked send writes is kept (a delayed task's is kept this long after its
    /// due time). Workers refresh the record with their own <see cref="WorkerOptions.ResultTimeToLive"/>. Default 1 day.</summary>
    public TimeSpan StatusTimeToLive
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(value, TimeSpan.Zero);
            field = value;
        }
    } = TimeSpan.FromDays(1);

    /// <inheritdoc />
    /// <remarks>Traced as one <c>send {queue}</c> producer span whose context travels in the message's headers
    /// (<c>traceparent</c>, <c>tracestate</c>); see <see cref="TypedTasksDiagnostics"/>.</remarks>
    public async ValueTask<TaskHandle> SendAsync(TaskRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var message = TaskStatusTracking.Mark(request.ToMessage(_timeProvider.GetUtcNow()), request.TrackStatus, TrackStatus);
        using var activity = TaskInstrumentation.StartSend(message);
        // Before the middleware, so a middleware sees (and could replace) the headers a worker will read.
        message = TaskInstrumentation.InjectContext(message);
        TaskMessage final;
        string? existing;
        try
        {
            if (_middleware.Length == 0)
            {
                existing = await _broker.SendAsync(message, cancellationToken).ConfigureAwait(false);
                final = message;
            }
            else
            {
                // Middleware wraps the broker's send and may replace the message (another id, a later due time...): the
                // handle is for the message that reached the broker.
                var send = new SingleSend(_broker);
                await RunPipeline(0, message, send.SendAsync, cancellationToken).ConfigureAwait(false);
                final = send.Sent ?? throw MiddlewareDidNotSend(message);
                existing = send.ExistingId;
            }
        }
        catch (Exception exception)
        {
            TaskInstrumentation.RecordSent(activity, message, exception);
            throw;
        }

        TaskInstrumentation.RecordSent(activity, final, failure: null);
        if (existing is not null)
        {
            // A duplicate stored nothing: the status record (if any) belongs to the task that holds the key, and a
            // "queued" write here would either invent a record for an id that was never sent or overwrite the
            // holder's (a duplicate by explicit task id has the same id).
            return new TaskHandle(existing, final.Actor, this) { IsDuplicate = true };
        }

        if (TaskStatusTracking.IsMarked(final))
        {
            // After the broker accepted it: a refused send must not leave a "queued" record behind.
            await TaskStatusTracking.RecordSentQuietlyAsync(_broker.Status, final, StatusTimeToLive).ConfigureAwait(false);
        }

        return new TaskHandle(final.Id, final.Actor, this);
    }

    /// <inheritdoc />
    /// <remarks>Traced as one producer span for the whole batch (<c>send {queue}</c>, or <c>send</c> when the messages
    /// go to several queues, with <c>messaging.batch.message_count</c>); its context goes into every message.</remarks>
    public async ValueTask<IReadOnlyList<TaskHandle>> SendManyAsync(IReadOnlyList<TaskRequest> requests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var now = _timeProvider.GetUtcNow();
        var messages = new TaskMessage[requests.Count];
        for (var i = 0; i < messages.Length; i++)
        {
            var request = requests[i] ?? throw new ArgumentException($"requests[{i}] is null.", nameof(requests));
            messages[i] = TaskStatusTracking.Mark(request.ToMessage(now), request.TrackStatus, TrackStatus);
        }

        using var activity = TaskInstrumentation.StartSendBatch(messages);
        TaskInstrumentation.InjectContext(messages);
        IReadOnlyList<string?>? existing;
        try
        {
            if (_middleware.Length > 0)
            {
                // Middleware sees (and may replace) each message; the broker still receives one batch, after them all.
                var collect = new BatchCollector();
                for (var i = 0; i < messages.Length; i++)
                {
                    collect.Current = null;
                    await RunPipeline(0, messages[i], collect.AddAsync, cancellationToken).ConfigureAwait(false);
                    messages[i] = collect.Current ?? throw MiddlewareDidNotSend(messages[i]);
                }
            }

            existing = await _broker.SendManyAsync(messages, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            TaskInstrumentation.RecordSent(activity, messages, exception);
            throw;
        }

        TaskInstrumentation.RecordSent(activity, messages, failure: null);
        await TaskStatusTracking.RecordSentQuietlyAsync(_broker.Status, messages, existing, StatusTimeToLive).ConfigureAwait(false);
        var handles = new TaskHandle[messages.Length];
        for (var i = 0; i < handles.Length; i++)
        {
            handles[i] = existing?[i] is { } existingId
                ? new TaskHandle(existingId, messages[i].Actor, this) { IsDuplicate = true }
                : new TaskHandle(messages[i].Id, messages[i].Actor, this);
        }

        return handles;
    }

    /// <inheritdoc />
    public ValueTask<CancelResult> CancelAsync(string taskId, CancellationToken cancellationToken = default)
    {
        WireNames.ThrowIfInvalid(taskId, "task id", nameof(taskId));
        return _broker.CancelAsync(taskId, cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>The workflow's first steps go through this client (its send middleware and tracing); the steps a
    /// worker enqueues later go straight to the broker.</remarks>
    public ValueTask<WorkflowHandle> SendWorkflowAsync(Workflow workflow, WorkflowOptions? options = null, CancellationToken cancellationToken = default) =>
        Engine.StartAsync(workflow, options, this, cancellationToken);

    /// <inheritdoc />
    public ValueTask<CancelResult> CancelWorkflowAsync(string workflowId, CancellationToken cancellationToken = default) =>
        Engine.CancelAsync(workflowId, cancellationToken);

    /// <inheritdoc />
    public ValueTask<WorkflowStatus> GetWorkflowStatusAsync(string workflowId, CancellationToken cancellationToken = default) =>
        Engine.GetStatusAsync(workflowId, cancellationToken);

    // Built on first use, so a client that sends no workflow does not require a broker that keeps them.
    private WorkflowEngine Engine => field ??= new WorkflowEngine(_broker, this, _timeProvider);

    private static InvalidOperationException MiddlewareDidNotSend(TaskMessage message) => new(
        $"The send middleware returned without passing task {message.Id} on; a middleware must call next (or throw to refuse the send).");

    private ValueTask RunPipeline(int index, TaskMessage message, SendDelegate end, CancellationToken cancellationToken) =>
        index == _middleware.Length
            ? end(message, cancellationToken)
            : _middleware[index].SendAsync(message, (m, ct) => RunPipeline(index + 1, m, end, ct), cancellationToken);

    /// <summary>The end of a single send's pipeline: sends what the middleware settled on.</summary>
    private sealed class SingleSend(ITaskBroker broker)
    {
        public TaskMessage? Sent { get; private set; }

        public string? ExistingId { get; private set; }

        public async ValueTask SendAsync(TaskMessage message, CancellationToken cancellationToken)
        {
            // A middleware that retries calls next again: the handle follows the last message passed on. The broker
            // checks the message (TaskMessage.Validate), as it does for every message it is given.
            Sent = message;
            ExistingId = await broker.SendAsync(message, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The end of one batch message's pipeline: keeps what the middleware settled on (the last
    /// message passed on, should a middleware call next more than once).</summary>
    private sealed class BatchCollector
    {
        public TaskMessage? Current { get; set; }

        public ValueTask AddAsync(TaskMessage message, CancellationToken cancellationToken)
        {
            Current = message;
            return ValueTask.CompletedTask;
        }
    }
}
