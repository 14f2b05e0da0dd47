using System;

namespace Reports.Actors;

/// <summary>Where the report's figures come from; the worker resolves it from DI for each message.</summary>
public interface IOrderHistory
{
    /// <summary>Orders and revenue of a customer between two dates (inclusive).</summary>
    (int Orders, decimal Revenue) Totals(int customerId, DateOnly from, DateOnly to);
}
