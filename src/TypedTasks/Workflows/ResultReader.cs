using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace TypedTasks.Workflows;

/// <summary>Reads a step's stored result (UTF-8 JSON) as a <typeparamref name="T"/>: through the actor's
/// <see cref="JsonTypeInfo{T}"/>, or element by element for a group's array (so <c>T[]</c> needs no metadata of its own).</summary>
internal abstract class ResultReader<T>
{
    public abstract T Read(ReadOnlySpan<byte> json);

    public object? ReadBoxed(ReadOnlySpan<byte> json) => Read(json);

    public static ResultReader<T> From(JsonTypeInfo<T> typeInfo) => new JsonReader(typeInfo ?? throw new ArgumentNullException(nameof(typeInfo)));

    private sealed class JsonReader(JsonTypeInfo<T> typeInfo) : ResultReader<T>
    {
        public override T Read(ReadOnlySpan<byte> json) => JsonSerializer.Deserialize(json, typeInfo)!;
    }
}

/// <summary>Reads a group's JSON array with its element reader.</summary>
internal sealed class ArrayResultReader<T>(ResultReader<T> element) : ResultReader<T[]>
{
    public override T[] Read(ReadOnlySpan<byte> json)
    {
        var items = new List<T>();
        foreach (var range in JsonArrays.Elements(json))
        {
            items.Add(element.Read(json[range]));
        }

        return [.. items];
    }
}

/// <summary>Splits a JSON array into its elements' byte ranges without materialising them.</summary>
internal static class JsonArrays
{
    public static List<Range> Elements(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("A group's result must be a JSON array.");
        }

        var ranges = new List<Range>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            ranges.Add(new Range(start, (int)reader.BytesConsumed));
        }

        return ranges;
    }
}
