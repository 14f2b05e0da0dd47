using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

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

    /// <summary>The broker this client sends to.</summary>
    public ITaskBroker Broker => _broker;

    /// <inheritdoc />
    public async ValueTask<TaskHandle> SendAsync(TaskMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var stamped = Stamp(message, _timeProvider.GetUtcNow());
        if (_middleware.Length == 0)
        {
            await _broker.SendAsync(stamped, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await Pipeline(0)(stamped, cancellationToken).ConfigureAwait(false);
        }

        return new TaskHandle(stamped.Id, stamped.Actor, this);
    }

    /// <inheritdoc />
    public async ValueTask<IReadOnlyList<TaskHandle>> SendManyAsync(IReadOnlyList<TaskMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var now = _timeProvider.GetUtcNow();
        var stamped = new TaskMessage[messages.Count];
        var handles = new TaskHandle[messages.Count];
        for (var i = 0; i < stamped.Length; i++)
        {
            stamped[i] = Stamp(messages[i], now);
            handles[i] = new TaskHandle(stamped[i].Id, stamped[i].Actor, this);
        }

        if (_middleware.Length == 0)
        {
            await _broker.SendManyAsync(stamped, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            // Middleware sees each message; the broker still receives one batch.
            var collected = new List<TaskMessage>(stamped.Length);
            foreach (var message in stamped)
            {
                await RunMiddleware(0, message, collected, cancellationToken).ConfigureAwait(false);
            }

            await _broker.SendManyAsync(collected, cancellationToken).ConfigureAwait(false);
        }

        return handles;
    }

    /// <summary>Sets <see cref="TaskMessage.EnqueuedAt"/> and turns a relative delay into a due time.</summary>
    internal static TaskMessage Stamp(TaskMessage message, DateTimeOffset now)
    {
        if (message.EnqueuedAt != default && message.Delay is null)
        {
            return message;
        }

        var enqueuedAt = message.EnqueuedAt == default ? now : message.EnqueuedAt;
        return message with
        {
            EnqueuedAt = enqueuedAt,
            DueAt = message.Delay is { } delay ? now + delay : message.DueAt,
            Delay = null,
        };
    }

    private SendDelegate Pipeline(int index) =>
        index == _middleware.Length
            ? _broker.SendAsync
            : (message, ct) => _middleware[index].SendAsync(message, Pipeline(index + 1), ct);

    private ValueTask RunMiddleware(int index, TaskMessage message, List<TaskMessage> collected, CancellationToken cancellationToken)
    {
        if (index == _middleware.Length)
        {
            collected.Add(message);
            return ValueTask.CompletedTask;
        }

        return _middleware[index].SendAsync(message, (m, ct) => RunMiddleware(index + 1, m, collected, ct), cancellationToken);
    }
}
