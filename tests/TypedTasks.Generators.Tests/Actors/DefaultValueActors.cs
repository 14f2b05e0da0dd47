using System.Globalization;

namespace TypedTasks.Generators.Tests.Actors;

/// <summary>How urgent something is; no JSON context declares it, so it uses the enum fallback.</summary>
public enum Urgency
{
    Low = -1,
    Normal,
    High,
}

/// <summary>Actors whose optional parameters keep their defaults in the stub and when an argument is missing.</summary>
public static class DefaultValueActors
{
    [Actor]
    public static string DescribeDefaults(
        string text = "quote \" backslash \\ newline \n",
        char letter = '\'',
        int number = -1,
        long big = 5000000000,
        double ratio = 1.5,
        float scale = 0.25f,
        decimal price = 3.50m,
        bool enabled = true,
        string? missing = null,
        Urgency urgency = Urgency.Low,
        Urgency? maybe = null,
        int? count = 7) =>
        string.Join(
            "|",
            text,
            letter.ToString(),
            number.ToString(CultureInfo.InvariantCulture),
            big.ToString(CultureInfo.InvariantCulture),
            ratio.ToString(CultureInfo.InvariantCulture),
            scale.ToString(CultureInfo.InvariantCulture),
            price.ToString(CultureInfo.InvariantCulture),
            enabled ? "true" : "false",
            missing ?? "null",
            urgency.ToString(),
            maybe?.ToString() ?? "null",
            count?.ToString(CultureInfo.InvariantCulture) ?? "null");

    /// <summary>Parameters named after keywords.</summary>
    [Actor]
    public static string Echo(string @class, int @event = 2) => @class + @event.ToString(CultureInfo.InvariantCulture);

    [Actor]
    public static Urgency Escalate(Urgency urgency, Urgency? ceiling = null) =>
        urgency == Urgency.High || urgency == ceiling ? urgency : urgency + 1;
}
