using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text.Json;
using System.Threading.Tasks;
using Hangfire;

namespace HangfireCompare;

/// <summary>
/// The launched worker process: one <see cref="BackgroundJobServer"/>, reporting to the orchestrator on stdout.
/// </summary>
/// <remarks>
/// Lines: <c>READY &lt;ticks&gt;</c> once the server is started, <c>DONE &lt;json&gt;</c> when the expected number of
/// jobs has succeeded. The process then stays alive (so its /proc status can be read) until its stdin closes.
/// Ticks are <see cref="Stopwatch"/> timestamps: CLOCK_MONOTONIC, shared by every process on the machine.
/// </remarks>
internal static class WorkerMode
{
    public static async Task<int> RunAsync(string redis, string mode, int expected, int workerCount)
    {
        NoOpTask.MeasureLatency = mode == "latency";
        var counter = new CompletionCounter(expected);
        HangfireSetup.UseRedis(redis);
        GlobalJobFilters.Filters.Add(counter);

        Task stdinClosed = Task.Run(() => Console.In.ReadToEnd());
        var options = new BackgroundJobServerOptions { WorkerCount = workerCount, Queues = [HangfireSetup.Queue] };
        using (var server = new BackgroundJobServer(options))
        {
            Console.Out.WriteLine("READY " + Stopwatch.GetTimestamp().ToString(CultureInfo.InvariantCulture));
            if (await Task.WhenAny(counter.Completed, stdinClosed).ConfigureAwait(false) == counter.Completed)
            {
                (long firstDoneAt, long doneAt) = await counter.Completed.ConfigureAwait(false);
                Console.Out.WriteLine("DONE " + Report(firstDoneAt, doneAt));
                await stdinClosed.ConfigureAwait(false);
            }

            server.SendStop();
        }

        return 0;
    }

    private static string Report(long firstDoneAt, long doneAt)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("first_done_at", firstDoneAt);
            json.WriteNumber("done_at", doneAt);
            if (NoOpTask.MeasureLatency)
            {
                json.WriteStartArray("latencies_ms");
                foreach (double latency in NoOpTask.Latencies)
                {
                    json.WriteNumberValue(latency);
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
