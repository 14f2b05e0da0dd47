using System;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace TypedTasks;

/// <summary>The latest progress an actor reported (<see cref="TaskProgress"/>).</summary>
/// <param name="Sequence">Counts the reports stored for the task, from 1; pass it to
/// <see cref="TaskHandle.WaitForProgressAsync"/> to wait for a newer one.</param>
/// <param name="Percent">The percentage (0 to 100) when the actor gave one.</param>
/// <param name="Message">The message when the actor gave one.</param>
/// <param name="Value">A typed value as UTF-8 JSON (<see cref="GetValue{T}"/>), empty when none.</param>
/// <param name="ReportedAt">When the actor reported it.</param>
public sealed record TaskProgressInfo(long Sequence, double? Percent, string? Message, ReadOnlyMemory<byte> Value, DateTimeOffset ReportedAt)
{
    /// <summary>Reads <see cref="Value"/> with source-generated metadata; <see langword="default"/> when there is none.</summary>
    public T? GetValue<T>(JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        return Value.IsEmpty ? default : JsonSerializer.Deserialize(Value.Span, typeInfo);
    }
}
