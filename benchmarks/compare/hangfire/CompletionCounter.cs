using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using Hangfire.States;
using Hangfire.Storage;

namespace HangfireCompare;

/// <summary>
/// Counts jobs reaching the Succeeded state and stamps the moment the expected count is reached.
/// </summary>
/// <remarks>
/// Hangfire calls state filters while it builds the state-change transaction, one round trip before the commit;
/// that is the closest hook to "done" that Hangfire offers and the gap is far below the figures we report.
/// </remarks>
internal sealed class CompletionCounter : IApplyStateFilter
{
    private readonly int expected;
    private readonly TaskCompletionSource<(long FirstDoneAt, long DoneAt)> done =
        new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long firstDoneAt;
    private int counted;

    public CompletionCounter(int expected) => this.expected = expected;

    /// <summary>Completes with the <see cref="Stopwatch"/> timestamps of the first and the expected-th success.</summary>
    public Task<(long FirstDoneAt, long DoneAt)> Completed => this.done.Task;

    public void OnStateApplied(ApplyStateContext context, IWriteOnlyTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.NewState is not SucceededState || context.BackgroundJob.Job.Args[0] is int i && i < 0)
        {
            return;
        }

        long now = Stopwatch.GetTimestamp();
        Interlocked.CompareExchange(ref this.firstDoneAt, now, 0);
        if (Interlocked.Increment(ref this.counted) == this.expected)
        {
            this.done.SetResult((Interlocked.Read(ref this.firstDoneAt), now));
        }
    }

    public void OnStateUnapplied(ApplyStateContext context, IWriteOnlyTransaction transaction)
    {
    }
}
