using System;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;

namespace TypedTasks;

/// <summary>A sent task whose actor returns <typeparamref name="T"/>.</summary>
public sealed class TaskHandle<T> : TaskHandle
{
    private readonly JsonTypeInfo<T> _resultTypeInfo;

    /// <summary>Creates a handle; generated stubs pass the result's source-generated metadata.</summary>
    public TaskHandle(string id, string actor, ITaskClient client, JsonTypeInfo<T> resultTypeInfo)
        : base(id, actor, client)
    {
        ArgumentNullException.ThrowIfNull(resultTypeInfo);
        _resultTypeInfo = resultTypeInfo;
    }

    /// <summary>Wraps an untyped handle (for example one returned by <see cref="ITaskClient.SendManyAsync"/>).</summary>
    public TaskHandle(TaskHandle handle, JsonTypeInfo<T> resultTypeInfo)
        : this((handle ?? throw new ArgumentNullException(nameof(handle))).Id, handle.Actor, handle.Client, resultTypeInfo)
    {
        IsDuplicate = handle.IsDuplicate;
    }

    /// <summary>Waits for the actor's result.</summary>
    /// <exception cref="TaskFailedException">The task failed for good, carrying the remote error, or was cancelled
    /// (<see cref="TaskFailedException.IsCancelled"/>).</exception>
    /// <exception cref="TimeoutException">No outcome within <paramref name="timeout"/>.</exception>
    public async Task<T> GetResultAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var outcome = await WaitForOutcomeAsync(timeout, cancellationToken).ConfigureAwait(false);
        return JsonSerializer.Deserialize(outcome.Value.Span, _resultTypeInfo)!;
    }
}
