using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace TypedTasks.Tests.Status;

public sealed class TaskProgressTests
{
    [Fact]
    public async Task Reports_made_while_a_write_is_in_flight_collapse_into_the_latest()
    {
        var store = new BlockingStore();
        var progress = new TaskProgress(store, "t1", TimeSpan.FromMinutes(1));

        await progress.ReportAsync(1, "first");
        await store.FirstWriteStarted.WaitAsync(TimeSpan.FromSeconds(10));
        for (var i = 2; i <= 100; i++)
        {
            // Never waits for the store: the first write is still held.
            await progress.ReportAsync(i, "step " + i);
        }

        store.Release();
        await progress.FlushAsync().WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["first", "step 100"], store.Messages);
    }

    [Fact]
    public async Task A_failed_write_does_not_reach_the_actor_and_the_next_report_is_written()
    {
        var store = new BlockingStore { FailNext = true };
        store.Release();
        var progress = new TaskProgress(store, "t1", TimeSpan.FromMinutes(1));

        await progress.ReportAsync(10, "lost");
        await progress.FlushAsync();
        await progress.ReportAsync(20, "kept");
        await progress.FlushAsync();

        Assert.Equal(["kept"], store.Messages);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(100.1)]
    [InlineData(double.NaN)]
    public async Task A_percentage_outside_0_to_100_is_refused(double percent)
    {
        var progress = new TaskProgress(new BlockingStore(), "t1", TimeSpan.FromMinutes(1));

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await progress.ReportAsync(percent));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await TaskProgress.None.ReportAsync(percent, "x"));
    }

    [Fact]
    public async Task None_discards_everything()
    {
        await TaskProgress.None.ReportAsync(50, "ignored");
        await TaskProgress.None.FlushAsync();

        Assert.Null(TaskProgress.None.TaskId);
    }

    /// <summary>Holds every progress write until released; records the messages written.</summary>
    private sealed class BlockingStore : ITaskStatusStore
    {
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _firstStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Lock _gate = new();

        public List<string?> Messages { get; } = [];

        public bool FailNext { get; set; }

        public Task FirstWriteStarted => _firstStarted.Task;

        public void Release() => _released.TrySetResult();

        public async ValueTask<long> ReportProgressAsync(string taskId, TaskProgressUpdate progress, TimeSpan timeToLive, CancellationToken cancellationToken = default)
        {
            _firstStarted.TrySetResult();
            await _released.Task;
            lock (_gate)
            {
                if (FailNext)
                {
                    FailNext = false;
                    throw new InvalidOperationException("store down");
                }

                Messages.Add(progress.Message);
                return Messages.Count;
            }
        }

        public ValueTask<TaskStatusInfo> GetAsync(string taskId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public ValueTask<TaskProgressInfo?> GetProgressAsync(string taskId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public ValueTask<TaskProgressInfo?> WaitForProgressAsync(string taskId, long afterSequence, TimeSpan timeout, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public ValueTask<bool> RecordAsync(string taskId, TaskStatusUpdate update, TimeSpan timeToLive, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }
}
