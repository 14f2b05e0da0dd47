using System;
using System.Threading;
using System.Threading.Tasks;
using StackExchange.Redis;
using TypedTasks.Redis.Internal;

namespace TypedTasks.Redis.Tests;

/// <summary>How the broker classifies what StackExchange.Redis throws while a connection fails.</summary>
public sealed class RedisFailuresUnitTests
{
    [Fact]
    public void A_cancellation_nobody_asked_for_is_transient_and_one_the_caller_asked_for_is_not()
    {
        using var asked = new CancellationTokenSource();
        asked.Cancel();

        Assert.True(RedisFailures.IsTransient(new TaskCanceledException()));
        Assert.True(RedisFailures.IsTransient(new TaskCanceledException(), CancellationToken.None));
        Assert.False(RedisFailures.IsTransient(new OperationCanceledException(asked.Token), asked.Token));
        Assert.True(RedisFailures.IsTransient(new RedisConnectionException(ConnectionFailureType.SocketFailure, "down")));
        Assert.True(RedisFailures.IsTransient(new RedisServerException("LOADING Redis is loading the dataset in memory")));
        Assert.False(RedisFailures.IsTransient(new RedisServerException("WRONGTYPE Operation against a key holding the wrong kind of value")));
        Assert.False(RedisFailures.IsTransient(new InvalidOperationException()));
    }

    [Fact]
    public async Task An_abandoned_command_surfaces_as_a_connection_error_with_the_cancellation_inside()
    {
        var abandoned = Task.FromCanceled<RedisResult>(new CancellationToken(canceled: true));

        var error = await Assert.ThrowsAsync<RedisConnectionException>(() => RedisFailures.Surfaced(abandoned));
        Assert.Equal(ConnectionFailureType.SocketFailure, error.FailureType);
        Assert.IsAssignableFrom<OperationCanceledException>(error.InnerException);
        Assert.Contains("may or may not have run", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<RedisConnectionException>(() => RedisFailures.Surfaced((Task)abandoned));
    }

    [Fact]
    public async Task A_write_to_a_broken_connection_pipe_is_a_transient_connection_error()
    {
        // What StackExchange.Redis threw once in CI while Redis restarted: the pipe's own exception, from a write.
        var pipe = new System.IO.Pipelines.Pipe();
        pipe.Writer.Complete();
        var broken = Assert.Throws<InvalidOperationException>(() => pipe.Writer.GetSpan());

        Assert.True(RedisFailures.IsTransient(broken));
        var error = await Assert.ThrowsAsync<RedisConnectionException>(() => RedisFailures.Surfaced(Task.FromException<RedisResult>(broken)));
        Assert.Same(broken, error.InnerException);
        Assert.False(RedisFailures.IsTransient(new InvalidOperationException("Writing is not allowed after writer was completed.")));
    }

    [Fact]
    public async Task Other_failures_and_results_pass_through_unchanged()
    {
        var failed = Task.FromException<int>(new RedisServerException("ERR boom"));
        Assert.Equal("ERR boom", (await Assert.ThrowsAsync<RedisServerException>(() => RedisFailures.Surfaced(failed))).Message);

        var pending = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var surfaced = RedisFailures.Surfaced(pending.Task);
        pending.SetResult(42);
        Assert.Equal(42, await surfaced);
        Assert.Same(Task.CompletedTask, RedisFailures.Surfaced(Task.CompletedTask));
    }
}
