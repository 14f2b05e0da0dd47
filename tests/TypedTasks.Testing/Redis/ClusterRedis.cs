using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using StackExchange.Redis;

namespace TypedTasks.Testing;

/// <summary>
/// A local three-master Redis Cluster: three <c>redis-server --cluster-enabled yes</c> processes joined with
/// <c>redis-cli --cluster create … --cluster-replicas 0</c>.
/// </summary>
public sealed class ClusterRedis : RedisTarget
{
    private static readonly TimeSpan NodeTimeout = TimeSpan.FromSeconds(5);

    private readonly string[] _nodeArguments;
    private RedisServerProcess[] _nodes = [];

    public ClusterRedis()
        : this([])
    {
    }

    private ClusterRedis(string[] nodeArguments) => _nodeArguments = nodeArguments;

    public override string ConnectionString => string.Join(",", _nodes.Select(n => n.EndPoint));

    /// <summary>A Cluster of the test's own; <paramref name="nodeArguments"/> are given to every node (e.g. "--appendonly", "yes").</summary>
    public static Task<ClusterRedis> StartOwnAsync(params string[] nodeArguments) => InitializeOwnedAsync(new ClusterRedis(nodeArguments));

    /// <summary>Restarts the master owning the key's slot and waits until it serves that slot again.</summary>
    /// <remarks>
    /// The masters have no replicas, so nothing fails over: the node comes back as itself. It reads its id, slots and
    /// epoch from nodes.conf in its data directory, so it must return on the same port, and its data from the
    /// append-only file (without one it comes back empty but still owning its slots). Observed with Redis 7.0: while it is
    /// down, its slots fail (connection refused) and the other masters serve theirs; after the start it answers
    /// CLUSTERDOWN for about 2 s — a rebooted master waits before declaring its state ok, so the cluster could
    /// reconfigure it first — then serves its slots with the data it had. Down for longer than cluster-node-timeout
    /// (tried with 1 s and 3 s down), the other masters flag it FAIL and, with the default cluster-require-full-coverage,
    /// answer CLUSTERDOWN for every slot until it is back: the downtime is kept well under the timeout, so the test
    /// exercises a restart, not a whole-cluster outage.
    /// </remarks>
    public override async Task RestartServerHoldingAsync(RedisKey key, TimeSpan downtime)
    {
        if (downtime > NodeTimeout / 4)
        {
            throw new ArgumentOutOfRangeException(nameof(downtime), downtime, "keep a restart well under cluster-node-timeout");
        }

        // Asked of the nodes themselves: every node but the owner answers MOVED.
        RedisServerProcess? owner = null;
        foreach (var node in _nodes)
        {
            if (!(await RawCommand.SendAsync(node.Port, "TYPE " + (string?)key, TimeSpan.FromSeconds(10))).StartsWith("-MOVED", StringComparison.Ordinal))
            {
                owner = node;
            }
        }

        await (owner ?? throw new InvalidOperationException($"No node owns the slot of '{key}'.")).RestartAsync(downtime);
        await WaitForStateOkAsync([owner]);
    }

    protected override async Task StartServersAsync()
    {
        _nodes = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => RedisServerProcess.StartAsync(
        [
            "--cluster-enabled", "yes",
            "--cluster-config-file", "nodes.conf",
            "--cluster-node-timeout", ((int)NodeTimeout.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
            .. _nodeArguments,
        ])));

        var create = new ProcessStartInfo(RedisBinaries.Cli)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        create.ArgumentList.Add("--cluster");
        create.ArgumentList.Add("create");
        foreach (var node in _nodes)
        {
            create.ArgumentList.Add(node.EndPoint);
        }

        create.ArgumentList.Add("--cluster-replicas");
        create.ArgumentList.Add("0");
        create.ArgumentList.Add("--cluster-yes");
        using (var process = Process.Start(create)!)
        {
            var output = await process.StandardOutput.ReadToEndAsync();
            var errors = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"redis-cli --cluster create failed:\n{output}\n{errors}");
            }
        }

        await WaitForStateOkAsync(_nodes);
    }

    protected override async Task StopServersAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
    }

    private static async Task WaitForStateOkAsync(IEnumerable<RedisServerProcess> nodes)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        foreach (var node in nodes)
        {
            while (!(await RawCommand.SendAsync(node.Port, "CLUSTER INFO", TimeSpan.FromSeconds(10))).Contains("cluster_state:ok", StringComparison.Ordinal))
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException("The local Redis Cluster did not reach cluster_state:ok.");
                }

                await Task.Delay(100);
            }
        }
    }
}
