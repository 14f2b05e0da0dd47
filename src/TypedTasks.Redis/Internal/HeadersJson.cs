using System;
using System.Buffers;
using System.Collections.Generic;
using System.Text.Json;

namespace TypedTasks.Redis.Internal;

/// <summary>Headers travel as one flat JSON object of strings, written and read without reflection.</summary>
internal static class HeadersJson
{
    public static byte[] Write(IReadOnlyDictionary<string, string> headers)
    {
        var buffer = new ArrayBufferWriter<byte>(64 + (headers.Count * 32));
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var pair in headers)
            {
                writer.WriteString(pair.Key, pair.Value);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static bool TryRead(ReadOnlySpan<byte> json, out Dictionary<string, string>? headers)
    {
        headers = null;
        if (!System.Text.Unicode.Utf8.IsValid(json))
        {
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.EndObject)
                {
                    headers = result;
                    return !reader.Read();
                }

                if (reader.TokenType != JsonTokenType.PropertyName)
                {
                    return false;
                }

                var name = reader.GetString()!;
                if (!reader.Read() || reader.TokenType != JsonTokenType.String)
                {
                    return false;
                }

                result[name] = reader.GetString()!;
            }

            return false;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: an escaped lone surrogate ("\ud800") cannot become a .NET string.
            return false;
        }
    }
}
