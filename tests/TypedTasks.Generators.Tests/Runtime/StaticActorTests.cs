using System;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using TypedTasks.Generators.Tests.Actors;
using TypedTasks.Generated;

namespace TypedTasks.Generators.Tests.Runtime;

/// <summary>Round trips through the generated code compiled into this assembly: message bytes, registry, invoker, result bytes.</summary>
public sealed class StaticActorTests
{
    private static TypedTasksJsonContext Json => TypedTasksJsonContext.Default;

    [Fact]
    public void Message_carries_the_wire_name_queue_and_arguments_keyed_by_parameter_name()
    {
        var message = Tasks.StaticActors.RecordGreeting.Message("m", "Ada");

        Assert.Equal("record-greeting", message.Actor);
        Assert.Equal("greetings", message.Queue);
        Assert.Equal("""{"marker":"m","recipient":"Ada"}""", Encoding.UTF8.GetString(message.Arguments.Span));
        Assert.Null(message.TaskId); // assigned by the client when it sends
    }

    [Fact]
    public void Send_options_override_queue_and_id()
    {
        var message = Tasks.StaticActors.Add.Message(1, 2, new SendOptions { Queue = "urgent", TaskId = "task-1", Delay = TimeSpan.FromSeconds(5) });

        Assert.Equal("urgent", message.Queue);
        Assert.Equal("task-1", message.TaskId);
        Assert.Equal(TimeSpan.FromSeconds(5), message.Delay);
    }

    [Fact]
    public async Task Void_actor_runs_and_writes_no_result()
    {
        var marker = Guid.NewGuid().ToString();

        var result = await ActorInvoker.InvokeAsync(Tasks.StaticActors.RecordGreeting.Message(marker, "Ada"));

        Assert.Empty(result);
        Assert.Equal("Hello Ada", StaticActors.Effects[marker]);
        Assert.False(Tasks.StaticActors.RecordGreeting.Actor.HasResult);
    }

    [Fact]
    public async Task Value_actor_result_round_trips()
    {
        Assert.Equal(42, await ActorInvoker.InvokeAsync(Tasks.StaticActors.Add.Message(40, 2), Json.Int32));
        Assert.True(Tasks.StaticActors.Add.Actor.HasResult);
    }

    [Fact]
    public async Task Task_of_T_actor_completing_asynchronously_writes_its_result()
    {
        Assert.Equal("Hi, Ada!", await ActorInvoker.InvokeAsync(Tasks.StaticActors.Greet.Message("Ada", "Hi"), Json.String));
    }

    [Fact]
    public async Task Missing_optional_argument_takes_the_parameter_default()
    {
        Assert.Equal("Hello, Ada!", await ActorInvoker.InvokeRawAsync("greet", """{"name":"Ada"}""").ContinueWith(static t => Encoding.UTF8.GetString(t.Result).Trim('"'), TaskScheduler.Default));
        Assert.Equal("Hello, Bob!", await ActorInvoker.InvokeAsync(Tasks.StaticActors.Greet.Message("Bob"), Json.String));
    }

    [Fact]
    public async Task ValueTask_of_T_actor_completing_synchronously_writes_its_result()
    {
        Assert.Equal(84L, await ActorInvoker.InvokeAsync(Tasks.StaticActors.Multiply.Message(42, 2), Json.Int64));
    }

    [Fact]
    public async Task Task_and_ValueTask_actors_run()
    {
        var stored = Guid.NewGuid().ToString();
        var touched = Guid.NewGuid().ToString();

        Assert.Empty(await ActorInvoker.InvokeAsync(Tasks.StaticActors.Store.Message(stored)));
        Assert.Empty(await ActorInvoker.InvokeAsync(Tasks.StaticActors.Touch.Message(touched)));

        Assert.Equal("stored", StaticActors.Effects[stored]);
        Assert.Equal("touched", StaticActors.Effects[touched]);
    }

    [Fact]
    public async Task The_invocation_token_is_passed_to_the_token_parameter_wherever_it_is()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        Assert.Equal("a:live:7", await ActorInvoker.InvokeAsync(Tasks.StaticActors.InspectToken.Message("a", 7), Json.String));
        Assert.Equal("a:cancelled:7", await ActorInvoker.InvokeAsync(Tasks.StaticActors.InspectToken.Message("a", 7), Json.String, cancellationToken: cancelled.Token));
        Assert.Equal("""{"prefix":"a","suffix":7}""", Encoding.UTF8.GetString(Tasks.StaticActors.InspectToken.Message("a", 7).Arguments.Span));
    }

    [Fact]
    public async Task Cancelled_token_reaches_an_async_actor()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ActorInvoker.InvokeAsync(Tasks.StaticActors.Store.Message("x"), cancellationToken: cancelled.Token));
    }

    [Fact]
    public async Task An_actor_exception_faults_the_returned_task()
    {
        Assert.True(Tasks.Registry.TryGetActor(Tasks.StaticActors.Fail.Name, out var actor));
        var pending = actor.InvokeAsync(new ActorInvocation(Tasks.StaticActors.Fail.Message("boom").Arguments, null, new System.Buffers.ArrayBufferWriter<byte>(), default));

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(async () => await pending);
        Assert.Equal("boom", exception.Message);
    }

    [Fact]
    public void Registry_lists_every_actor_ordered_by_wire_name_and_finds_none_for_an_unknown_name()
    {
        var names = new string[Tasks.Registry.Actors.Count];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = Tasks.Registry.Actors[i].Name;
        }

        Assert.Equal([.. names.Order(StringComparer.Ordinal)], names);
        Assert.Contains("greet", names);
        Assert.Contains("reports.build", names);
        Assert.Same(Tasks.StaticActors.Greet.Actor, Tasks.Registry.Actors[Array.IndexOf(names, "greet")]);
        Assert.False(Tasks.Registry.TryGetActor("no-such-actor", out _));
        Assert.False(Tasks.Registry.TryGetActor("GREET", out _));
    }

    [Fact]
    public void Registry_combines_with_the_core_registry()
    {
        var combined = ActorRegistry.Combine(Tasks.Registry, new ActorRegistry([]));

        Assert.True(combined.TryGetActor("payments.charge", out var actor));
        Assert.Same(Tasks.PaymentActors.Charge.Actor, actor);
    }
}
