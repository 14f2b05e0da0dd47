using System;
using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;
using TypedTasks.Generated;

namespace TypedTasks.Generators.Tests.Runtime;

/// <summary>Runs a message the way a worker does: look the actor up by wire name, invoke it, read its result.</summary>
internal static class ActorInvoker
{
    public static async Task<byte[]> InvokeAsync(TaskRequest message, IServiceProvider? services = null, CancellationToken cancellationToken = default)
    {
        Assert.True(Tasks.Registry.TryGetActor(message.Actor, out var actor), $"Actor '{message.Actor}' is not registered.");
        var result = new ArrayBufferWriter<byte>();
        await actor.InvokeAsync(new ActorInvocation(message.Arguments, services, result, cancellationToken));
        return result.WrittenSpan.ToArray();
    }

    public static async Task<T?> InvokeAsync<T>(TaskRequest message, JsonTypeInfo<T> resultType, IServiceProvider? services = null, CancellationToken cancellationToken = default)
    {
        var bytes = await InvokeAsync(message, services, cancellationToken);
        return JsonSerializer.Deserialize(bytes, resultType);
    }

    /// <summary>Invokes an actor with hand-written argument bytes, as a producer in another language might send.</summary>
    public static Task<byte[]> InvokeRawAsync(string actorName, string argumentsJson, IServiceProvider? services = null) =>
        InvokeRawAsync(actorName, System.Text.Encoding.UTF8.GetBytes(argumentsJson), services);

    /// <summary>Invokes an actor with argument bytes that need not be valid UTF-8.</summary>
    public static async Task<byte[]> InvokeRawAsync(string actorName, byte[] arguments, IServiceProvider? services = null)
    {
        Assert.True(Tasks.Registry.TryGetActor(actorName, out var actor));
        var result = new ArrayBufferWriter<byte>();
        await actor.InvokeAsync(new ActorInvocation(arguments, services, result, CancellationToken.None));
        return result.WrittenSpan.ToArray();
    }
}
