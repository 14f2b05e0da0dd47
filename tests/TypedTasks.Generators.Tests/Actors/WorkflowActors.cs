using System;
using System.Collections.Concurrent;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace TypedTasks.Generators.Tests.Actors;

/// <summary>Actors composed into workflows: a chain of three, a void step, a chord target and a failure callback.</summary>
public static class WorkflowActors
{
    /// <summary>What the actors did, keyed by marker (Notify: the location; the callback: its marker).</summary>
    public static ConcurrentDictionary<string, string> Effects { get; } = new(StringComparer.Ordinal);

    /// <summary>Downloads <paramref name="url"/> (here: its UTF-8 bytes).</summary>
    /// <param name="url">What to download.</param>
    /// <param name="cancellationToken">Injected: not an argument, so <c>url</c> stays the first one.</param>
    [Actor(Name = "images.download")]
    public static async Task<byte[]> DownloadAsync(string url, CancellationToken cancellationToken)
    {
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        return Encoding.UTF8.GetBytes(url);
    }

    /// <summary>Resizes an image (here: keeps its first <paramref name="width"/> bytes).</summary>
    /// <param name="image">The image, usually the previous step's result.</param>
    /// <param name="width">The width to keep.</param>
    [Actor(Name = "images.resize")]
    public static byte[] Resize(byte[] image, int width = 100) => image.AsSpan(0, Math.Min(width, image.Length)).ToArray();

    /// <summary>Stores <paramref name="data"/> in <paramref name="bucket"/> and returns where.</summary>
    [Actor(Name = "images.store", TrackStatus = true)]
    public static Uri Store(byte[] data, string bucket) => new("https://store.example/" + bucket + "/" + Convert.ToHexString(data));

    /// <summary>Announces <paramref name="location"/> on <paramref name="channel"/>; no result.</summary>
    [Actor(Name = "images.notify")]
    public static void Notify(Uri location, string channel) => Effects[location.ToString()] = channel;

    /// <summary>Adds up the results of a group.</summary>
    [Actor(Name = "numbers.sum")]
    public static int Sum(int[] values)
    {
        var total = 0;
        foreach (var value in values)
        {
            total += value;
        }

        return total;
    }

    /// <summary>Records why a workflow failed, under <paramref name="marker"/>.</summary>
    /// <param name="failure">Passed by the workflow when the step the callback is attached to fails.</param>
    /// <param name="marker">Identifies the calling test.</param>
    [Actor(Name = "workflows.failed")]
    public static void RecordFailure(WorkflowFailure failure, string marker) =>
        Effects[marker] = $"{failure.Actor}|{failure.Reason}|{failure.ErrorType}|{failure.ErrorMessage}";
}
