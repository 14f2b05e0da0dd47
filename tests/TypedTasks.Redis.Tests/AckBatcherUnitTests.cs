using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using StackExchange.Redis;
using TypedTasks.Redis.Internal;

namespace TypedTasks.Redis.Tests;

public sealed class AckBatcherUnitTests
{
    [Fact]
    public async Task The_first_ack_goes_at_once_and_acks_arriving_meanwhile_share_the_next_call()
    {
        var calls = new List<RedisValue[]>();
        var firstCall = new TaskCompletionSource();
        var batcher = new AckBatcher(async ids =>
        {
            lock (calls)
            {
                calls.Add(ids);
            }

            if (calls.Count == 1)
            {
                await firstCall.Task; // the first round trip is slow
            }
        });

        var first = batcher.AckAsync("1-0");
        var rest = Enumerable.Range(2, 99).Select(i => batcher.AckAsync($"{i}-0")).ToArray();
        Assert.Single(calls);
        Assert.False(first.IsCompleted);

        firstCall.SetResult();
        await Task.WhenAll(rest.Append(first));

        Assert.Equal(2, calls.Count);
        Assert.Equal(["1-0"], calls[0].Select(v => (string)v!));
        Assert.Equal(Enumerable.Range(2, 99).Select(i => $"{i}-0"), calls[1].Select(v => (string)v!));
    }

    [Fact]
    public async Task A_failed_call_fails_every_ack_in_it_and_the_next_ack_is_sent_again()
    {
        var fail = true;
        var batcher = new AckBatcher(_ => fail ? Task.FromException(new RedisConnectionException(ConnectionFailureType.SocketClosed, "down")) : Task.CompletedTask);

        await Assert.ThrowsAsync<RedisConnectionException>(() => batcher.AckAsync("1-0"));
        fail = false;
        await batcher.AckAsync("2-0");
    }
}
