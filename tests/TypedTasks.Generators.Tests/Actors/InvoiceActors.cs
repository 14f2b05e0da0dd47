using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Serialization;
using System.Threading.Tasks;

namespace TypedTasks.Generators.Tests.Actors;

public enum InvoiceState
{
    Draft,
    Sent,
    Paid,
}

public sealed record InvoiceLine(string Product, int Quantity, decimal UnitPrice);

public sealed record Invoice(string Number, IReadOnlyList<InvoiceLine> Lines, InvoiceState State);

public sealed record InvoiceTotal(string Number, decimal Total);

/// <summary>The user's own JSON metadata: the generator finds it and uses it for these types.</summary>
[JsonSerializable(typeof(Invoice))]
[JsonSerializable(typeof(InvoiceTotal))]
[JsonSerializable(typeof(List<Invoice>))]
internal sealed partial class InvoiceJsonContext : JsonSerializerContext
{
}

/// <summary>Actors over user types.</summary>
public static class InvoiceActors
{
    /// <summary>Totals an invoice.</summary>
    /// <param name="invoice">The invoice.</param>
    [Actor(Name = "invoices.total", Queue = "invoices")]
    public static InvoiceTotal TotalInvoice(Invoice invoice) =>
        new(invoice.Number, invoice.Lines.Sum(static line => line.Quantity * line.UnitPrice));

    [Actor]
    public static Task<InvoiceState> AdvanceInvoiceAsync(InvoiceState state, InvoiceState? target = null) =>
        Task.FromResult(target ?? (state == InvoiceState.Paid ? state : state + 1));

    [Actor]
    public static int CountPaid(List<Invoice> invoices, string? owner = null) =>
        invoices.Count(static invoice => invoice.State == InvoiceState.Paid) + (owner is null ? 0 : 1000);
}
