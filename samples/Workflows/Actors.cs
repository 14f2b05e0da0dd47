using System;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json.Serialization;
using System.Threading;
using System.Threading.Tasks;
using TypedTasks;

namespace WorkflowsSample;

/// <summary>An image pipeline (fake images: bytes made from the URL, so the sample needs no network).</summary>
public static class Images
{
    /// <summary>"Downloads" an image. A URL with <c>broken</c> in it fails for good (no retries).</summary>
    [Actor(Name = "images.download", Queue = "images")]
    public static async Task<byte[]> Download(string url, CancellationToken cancellationToken)
    {
        await Task.Delay(20, cancellationToken);
        if (url.Contains("broken", StringComparison.Ordinal))
        {
            throw new NonRetryableException($"404 Not Found: {url}");
        }

        // 1 KiB per character of the URL: different URLs, different sizes.
        var image = new byte[url.Length * 1024];
        Encoding.UTF8.GetBytes(url).CopyTo(image, 0);
        return image;
    }

    /// <summary>"Resizes" an image to <paramref name="width"/> pixels (keeps that share of it).</summary>
    [Actor(Name = "images.resize", Queue = "images")]
    public static byte[] Resize(byte[] image, int width) => image[..Math.Min(image.Length, width * 10)];

    /// <summary>"Stores" an image in a bucket and returns where.</summary>
    [Actor(Name = "images.store", Queue = "images")]
    public static Uri Store(byte[] data, string bucket) => new($"memory://{bucket}/{Convert.ToHexString(data.AsSpan(0, Math.Min(4, data.Length)))}-{data.Length}.png");

    /// <summary>An image's size in bytes.</summary>
    [Actor(Name = "images.measure", Queue = "images")]
    public static long Measure(byte[] image) => image.LongLength;

    /// <summary>Summarizes a set of images (a tolerant group's result: the images that could be downloaded).</summary>
    [Actor(Name = "images.count", Queue = "images")]
    public static string Count(byte[][] images) => $"{images.Length} images, {images.Sum(image => (long)image.Length)} bytes in all";

    /// <summary>Summarizes the sizes of a set of images: a chord's last step receives all of them.</summary>
    [Actor(Name = "images.summarize", Queue = "images")]
    public static string Summarize(long[] sizes) =>
        $"{sizes.Length} images, {sizes.Sum()} bytes in all, the largest {(sizes.Length == 0 ? 0 : sizes.Max())} bytes";
}

/// <summary>An order.</summary>
/// <param name="Id">The order id.</param>
/// <param name="Items">How many items it holds.</param>
/// <param name="Country">Where it ships.</param>
public sealed record Order(int Id, int Items, string Country);

/// <summary>What to do with an order.</summary>
/// <param name="Accept">Whether to accept it.</param>
/// <param name="Reason">Why.</param>
public sealed record Decision(bool Accept, string Reason);

/// <summary>A DAG: one order is loaded once, three checks use it, one decision takes their three results.</summary>
public static class Orders
{
    /// <summary>Loads an order.</summary>
    [Actor(Name = "orders.load", Queue = "orders")]
    public static Order Load(int orderId) => new(orderId, Items: orderId % 7 + 1, Country: orderId % 2 == 0 ? "DE" : "FR");

    /// <summary>Prices an order.</summary>
    [Actor(Name = "orders.price", Queue = "orders")]
    public static decimal Price(Order order) => order.Items * 19.90m;

    /// <summary>Checks the stock for an order.</summary>
    [Actor(Name = "orders.stock", Queue = "orders")]
    public static bool Stock(Order order) => order.Items <= 5;

    /// <summary>Scores the risk of an order (0–100).</summary>
    [Actor(Name = "orders.risk", Queue = "orders")]
    public static int Risk(Order order, bool strict) => (order.Country == "DE" ? 10 : 30) + (strict ? 20 : 0);

    /// <summary>Decides, from the three checks' results.</summary>
    [Actor(Name = "orders.decide", Queue = "orders")]
    public static Decision Decide(decimal price, bool inStock, int risk) => (inStock, risk) switch
    {
        (false, _) => new Decision(false, "out of stock"),
        (_, >= 50) => new Decision(false, $"risk {risk}"),
        _ => new Decision(true, string.Create(CultureInfo.InvariantCulture, $"{price:0.00} EUR, risk {risk}")),
    };
}

/// <summary>Callbacks.</summary>
public static class Alerts
{
    /// <summary>A failure callback: receives which step of which workflow failed, and why.</summary>
    [Actor(Name = "alerts.failed", Queue = "alerts")]
    public static string Failed(WorkflowFailure failure, string channel)
    {
        var text = $"{channel}: workflow {failure.WorkflowId} failed at step {failure.Step} ({failure.Actor}, task {failure.TaskId}): {failure.Reason} {failure.ErrorMessage}";
        Console.WriteLine($"  [alerts.failed] {text}");
        return text;
    }

    /// <summary>A success callback: receives the stored thumbnail's address.</summary>
    [Actor(Name = "alerts.stored", Queue = "alerts")]
    public static string Stored(Uri location)
    {
        Console.WriteLine($"  [alerts.stored] thumbnail at {location}");
        return location.ToString();
    }
}

/// <summary>The JSON metadata of the sample's own types (AOT-safe, no reflection).</summary>
[JsonSerializable(typeof(Order))]
[JsonSerializable(typeof(Decision))]
[JsonSerializable(typeof(byte[][]))]
public sealed partial class SampleJsonContext : JsonSerializerContext;
