using System;
using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using TypedTasks.Generated;

namespace TypedTasks.Testing;

/// <summary>A hand-written actor that reads its JSON arguments and answers with JSON text (<see langword="null"/> =
/// no result): what the generator would emit, without the generator, so a contract suite can drive a real worker.</summary>
public sealed class JsonActor : ActorDescriptor
{
    private readonly Func<JsonElement, CancellationToken, Task<string?>> _body;

    public JsonActor(string name, string queue, Func<JsonElement, CancellationToken, Task<string?>> body, ActorOptions? options = null)
        : base(name, queue, options ?? ActorOptions.Default)
    {
        _body = body;
    }

    public override bool HasResult => true;

    public override async ValueTask InvokeAsync(ActorInvocation invocation)
    {
        string? result;
        using (var arguments = JsonDocument.Parse(invocation.Arguments))
        {
            result = await _body(arguments.RootElement, invocation.CancellationToken);
        }

        if (result is not null)
        {
            invocation.Result.Write(Encoding.UTF8.GetBytes(result));
        }
    }
}
