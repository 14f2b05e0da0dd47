using System;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;

namespace TypedTasks.Redis.Tests.Infrastructure;

/// <summary>
/// A local three-master Redis Cluster: three <c>redis-server --cluster-enabled yes</c> processes joined with
/// <c>redis-cli --cluster create … --cluster-replicas 0</c>.
/// </summary>
public sealed class ClusterRedis : RedisTarget
{
    private RedisServerProcess[] _nodes = [];

    public override string ConnectionString => string.Join(",", _nodes.Select(n => n.EndPoint));

    protected override async Task StartServersAsync()
    {
        _nodes = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => RedisServerProcess.StartAsync(
            "--cluster-enabled", "yes",
            "--cluster-config-file", "nodes.conf",
            "--cluster-node-timeout", "5000")));

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

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        foreach (var node in _nodes)
        {
            while (!(await RawCommand.SendAsync(node.Port, "CLUSTER INFO", TimeSpan.FromSeconds(2))).Contains("cluster_state:ok", StringComparison.Ordinal))
            {
                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException("The local Redis Cluster did not reach cluster_state:ok.");
                }

                await Task.Delay(100);
            }
        }
    }

    protected override async Task StopServersAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
    }
}
