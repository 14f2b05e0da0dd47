using System;
using System.Collections.Generic;
using System.Globalization;
using StackExchange.Redis;
using TypedTasks.Monitoring;

namespace TypedTasks.Redis.Internal;

/// <summary>
/// A worker's record, <c>P:worker:{name}</c>: a hash rewritten by each heartbeat with an expiry of
/// <see cref="RedisBrokerOptions.ClaimIdleThreshold"/>, so a worker that stops beating disappears by itself.
/// Fields: <c>host</c>, <c>pid</c>, <c>queues</c> (comma-separated; queue names cannot hold commas), <c>started</c>
/// and <c>beat</c> (Unix ms), <c>running</c>.
/// </summary>
internal static class WorkerRecord
{
    private static readonly RedisValue s_host = "host";
    private static readonly RedisValue s_pid = "pid";
    private static readonly RedisValue s_queues = "queues";
    private static readonly RedisValue s_started = "started";
    private static readonly RedisValue s_beat = "beat";
    private static readonly RedisValue s_running = "running";

    public static HashEntry[] Encode(string queues, long startedMs, long beatMs, int running) =>
    [
        new(s_host, Environment.MachineName),
        new(s_pid, Environment.ProcessId),
        new(s_queues, queues),
        new(s_started, startedMs),
        new(s_beat, beatMs),
        new(s_running, running),
    ];

    /// <summary>The worker, or <see langword="null"/> when the record is gone or incomplete.</summary>
    public static WorkerInfo? TryDecode(string name, HashEntry[] fields)
    {
        string? host = null, queues = null;
        long pid = -1, started = -1, beat = -1, running = -1;
        foreach (var field in fields)
        {
            if (field.Name == s_host)
            {
                host = field.Value.ToString();
            }
            else if (field.Name == s_queues)
            {
                queues = field.Value.ToString();
            }
            else if (field.Name == s_pid)
            {
                pid = Number(field.Value);
            }
            else if (field.Name == s_started)
            {
                started = Number(field.Value);
            }
            else if (field.Name == s_beat)
            {
                beat = Number(field.Value);
            }
            else if (field.Name == s_running)
            {
                running = Number(field.Value);
            }
        }

        if (host is null || queues is null || pid < 0 || started < 0 || beat < 0 || running < 0)
        {
            return null;
        }

        return new WorkerInfo
        {
            Name = name,
            Host = host,
            ProcessId = (int)Math.Min(pid, int.MaxValue),
            Queues = queues.Length == 0 ? [] : queues.Split(','),
            StartedAt = DateTimeOffset.FromUnixTimeMilliseconds(started),
            LastHeartbeat = DateTimeOffset.FromUnixTimeMilliseconds(beat),
            Running = (int)Math.Min(running, int.MaxValue),
        };
    }

    private static long Number(RedisValue value) =>
        long.TryParse(value.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1;
}
