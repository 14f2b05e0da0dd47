using System;
using System.Collections.Generic;
using System.Linq;

namespace TypedTasks.Tests.Messaging;

public sealed class TaskIdTests
{
    [Fact]
    public void Ids_are_unique_and_fixed_length()
    {
        var ids = Enumerable.Range(0, 10_000).Select(_ => TaskId.NewId()).ToList();

        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
        Assert.All(ids, id => Assert.Equal(TaskId.Length, id.Length));
    }

    [Fact]
    public void Ids_sort_ordinally_by_creation_time()
    {
        var start = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var byTime = Enumerable.Range(0, 200).Select(i => TaskId.NewId(start.AddMilliseconds(i * 37))).ToList();

        var sorted = byTime.OrderBy(id => id, StringComparer.Ordinal).ToList();

        Assert.Equal(byTime, sorted);
    }

    [Fact]
    public void The_timestamp_can_be_read_back()
    {
        var when = new DateTimeOffset(2031, 7, 4, 12, 30, 15, 123, TimeSpan.Zero);

        Assert.True(TaskId.TryGetTimestamp(TaskId.NewId(when), out var read));
        Assert.Equal(when, read);
        Assert.False(TaskId.TryGetTimestamp("not-an-id", out _));
    }
}
