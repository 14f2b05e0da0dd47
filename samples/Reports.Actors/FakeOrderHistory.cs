using System;

namespace Reports.Actors;

/// <summary>A deterministic stand-in for an order database: one order per day, worth the customer id.</summary>
public sealed class FakeOrderHistory : IOrderHistory
{
    /// <inheritdoc />
    public (int Orders, decimal Revenue) Totals(int customerId, DateOnly from, DateOnly to)
    {
        var days = Math.Max(0, to.DayNumber - from.DayNumber + 1);
        return (days, days * (decimal)customerId);
    }
}
