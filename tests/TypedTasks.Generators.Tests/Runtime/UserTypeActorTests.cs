using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using TypedTasks.Generators.Tests.Actors;

namespace TypedTasks.Generators.Tests.Runtime;

/// <summary>User types travel through the user's own JsonSerializerContext; enums through the enum fallback.</summary>
public sealed class UserTypeActorTests
{
    private static readonly Invoice s_invoice = new("INV-1", [new InvoiceLine("Tea", 2, 3.5m), new InvoiceLine("Cake", 1, 4m)], InvoiceState.Sent);

    [Fact]
    public async Task User_type_argument_and_result_round_trip()
    {
        var message = Tasks.InvoiceActors.TotalInvoice.Message(s_invoice);

        var total = await ActorInvoker.InvokeAsync(message, InvoiceJsonContext.Default.InvoiceTotal);

        Assert.Equal(new InvoiceTotal("INV-1", 11m), total);
        Assert.Equal("invoices", message.Queue);
        using var arguments = JsonDocument.Parse(message.Arguments);
        Assert.Equal("INV-1", arguments.RootElement.GetProperty("invoice").GetProperty("Number").GetString());
    }

    [Fact]
    public async Task Collections_of_user_types_round_trip()
    {
        var invoices = new List<Invoice> { s_invoice, s_invoice with { State = InvoiceState.Paid } };

        Assert.Equal(1, await ActorInvoker.InvokeAsync(Tasks.InvoiceActors.CountPaid.Message(invoices), TypedTasks.Generated.TypedTasksJsonContext.Default.Int32));
        Assert.Equal(1001, await ActorInvoker.InvokeAsync(Tasks.InvoiceActors.CountPaid.Message(invoices, "me"), TypedTasks.Generated.TypedTasksJsonContext.Default.Int32));
    }

    [Fact]
    public async Task Enum_and_nullable_enum_arguments_and_result_round_trip()
    {
        var result = await ActorInvoker.InvokeAsync(Tasks.InvoiceActors.AdvanceInvoice.Message(InvoiceState.Draft));
        Assert.Equal("1", Encoding.UTF8.GetString(result));

        result = await ActorInvoker.InvokeAsync(Tasks.InvoiceActors.AdvanceInvoice.Message(InvoiceState.Draft, InvoiceState.Paid));
        Assert.Equal("2", Encoding.UTF8.GetString(result));
    }

    [Fact]
    public async Task Typed_handle_reads_the_result_with_the_actor_metadata()
    {
        var client = new RecordingClient();

        var handle = await Tasks.InvoiceActors.TotalInvoice.SendAsync(client, s_invoice);

        Assert.IsType<TaskHandle<InvoiceTotal>>(handle);
        Assert.Equal("invoices.total", handle.Actor);
        var sent = Assert.Single(client.Sent);
        Assert.Equal("recorded", handle.Id);
        Assert.Equal(new InvoiceTotal("INV-1", 11m), await ActorInvoker.InvokeAsync(sent, InvoiceJsonContext.Default.InvoiceTotal));
    }

    [Fact]
    public async Task Send_without_a_client_uses_the_explicit_argument_check()
    {
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await Tasks.StaticActors.Add.SendAsync(null!, 1, 2));
    }

    private sealed class RecordingClient : ITaskClient
    {
        public List<TaskRequest> Sent { get; } = [];

        public ITaskResultStore Results => throw new NotSupportedException();

        public ITaskStatusStore Status => throw new NotSupportedException();

        public ValueTask<TaskHandle> SendAsync(TaskRequest request, System.Threading.CancellationToken cancellationToken = default)
        {
            Sent.Add(request);
            return new(new TaskHandle(request.TaskId ?? "recorded", request.Actor, this));
        }

        public ValueTask<IReadOnlyList<TaskHandle>> SendManyAsync(IReadOnlyList<TaskRequest> requests, System.Threading.CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public ValueTask<CancelResult> CancelAsync(string taskId, System.Threading.CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();
    }
}
