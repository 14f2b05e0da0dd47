using System;
using System.Threading;
using System.Threading.Tasks;
using TypedTasks;

namespace Reports.Actors;

/// <summary>An instance actor: the worker builds it per message from the message's DI scope.</summary>
public sealed class ReportGenerator(IOrderHistory history, TimeProvider time)
{
    /// <summary>Builds a customer's report. Refuses an inverted range for good: retrying cannot fix it.</summary>
    /// <param name="request">Which customer and dates.</param>
    /// <param name="progress">Where the report says how far it got (the worker passes it; not an argument).</param>
    /// <param name="cancellationToken">Cancelled on the time limit or shutdown.</param>
    [Actor(Name = "reports.generate", Queue = "reports", MaxRetries = 3, TimeLimitSeconds = 60, TrackStatus = true)]
    public async Task<Report> GenerateReport(ReportRequest request, TaskProgress progress, CancellationToken cancellationToken)
    {
        if (request.To < request.From)
        {
            throw new NonRetryableException($"The report range ends ({request.To:O}) before it starts ({request.From:O}).");
        }

        await progress.ReportAsync(10, "reading orders").ConfigureAwait(false);
        // Stands in for the slow query a real report runs.
        await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        var (orders, revenue) = history.Totals(request.CustomerId, request.From, request.To);
        await progress.ReportAsync(100, $"{orders} orders read").ConfigureAwait(false);
        return new Report(request.CustomerId, request.From, request.To, orders, revenue, time.GetUtcNow());
    }
}
