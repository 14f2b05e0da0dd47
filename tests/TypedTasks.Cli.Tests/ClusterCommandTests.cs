using System;
using System.Linq;
using System.Threading.Tasks;

namespace TypedTasks.Cli.Tests;

/// <summary>The main read commands against a three-master Cluster: queues on different slots, read together.</summary>
public sealed class ClusterCommandTests(ClusterRedis cluster) : IClassFixture<ClusterRedis>
{
    [Fact]
    public async Task Read_commands_see_every_queue_worker_and_dead_letter_across_the_masters()
    {
        await using var deployment = new Deployment(cluster);
        var queues = Enumerable.Range(0, 4).Select(i => i + TestMessages.Queue()).ToArray();
        var dead = await deployment.DeadLetterAsync(queues[0], "orders.pay", DeadLetterReason.NonRetryable, "declined");
        foreach (var queue in queues)
        {
            await deployment.SendAsync(queue);
        }

        var name = "cluster-worker-" + Guid.NewGuid().ToString("N")[..6];
        await deployment.ConsumerAsync(name, queues[3]);
        await Eventually.UntilAsync(async () => (await deployment.Broker.Monitor.GetWorkersAsync()).Count == 1, "the consumer registered");

        var listed = (await deployment.RunAsync("queues", "--json")).Json().GetProperty("queues").EnumerateArray().ToArray();
        Assert.Equal(queues, listed.Select(q => q.GetProperty("name").GetString()));
        Assert.Equal([1L, 1L, 1L], listed.Take(3).Select(q => q.GetProperty("waiting").GetInt64()));
        Assert.Equal(1, listed[0].GetProperty("deadLetters").GetInt64());

        var stats = (await deployment.RunAsync("stats", "--json")).Json();
        Assert.Equal((4, 1, 1L), (stats.GetProperty("queueCount").GetInt32(), stats.GetProperty("workerCount").GetInt32(), stats.GetProperty("deadLetters").GetInt64()));

        var workers = (await deployment.RunAsync("workers", "--json")).Json().GetProperty("workers");
        Assert.Equal(name, Assert.Single(workers.EnumerateArray()).GetProperty("name").GetString());

        var letters = (await deployment.RunAsync("dead-letters", "list", "-q", queues[0], "--json")).Json().GetProperty("items");
        Assert.Equal(dead.Id, Assert.Single(letters.EnumerateArray()).GetProperty("taskId").GetString());

        var top = await deployment.RunAsync("top", "-n", "1");
        Assert.True(top.ExitCode == 0, top.ToString());
        Assert.All(queues, q => Assert.Contains(q, top.Out, StringComparison.Ordinal));
    }
}
