using System;
using System.Buffers;
using System.Collections.Generic;
using System.Text.Json;

namespace TypedTasks.Workflows;

/// <summary>
/// The stored form of a workflow's steps and summary: compact JSON written and read by hand (no reflection), documented
/// in docs/workflows.md ("Stored state"). A task step:
/// <c>{"a":actor,"q":queue,"args":{…},"in":[[param,step]],"dep":[steps],"next":[steps],"out":true,"h":{…},"ts":true,"delay":ms,"ok":[callback],"err":[callback]}</c>;
/// a group: <c>{"g":[member steps],"tol":n,"dep":…,"next":…,"out":…,"ok":…,"err":…}</c>; a callback:
/// <c>{"a","q","args","p","h","ts","delay"}</c>.
/// </summary>
internal static class WorkflowCodec
{
    public static byte[] Encode(StepDefinition step)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (step.IsGroup)
            {
                WriteInts(writer, "g", step.Members);
                writer.WriteNumber("tol", step.MaxFailures);
            }
            else
            {
                WriteTask(writer, step.Actor, step.Queue, step.Arguments, step.Headers, step.TrackStatus, step.Delay);
                writer.WriteStartArray("in");
                foreach (var input in step.Inputs)
                {
                    writer.WriteStartArray();
                    writer.WriteStringValue(input.Parameter);
                    writer.WriteNumberValue(input.Source);
                    writer.WriteEndArray();
                }

                writer.WriteEndArray();
            }

            WriteInts(writer, "dep", step.DependsOn);
            WriteInts(writer, "next", step.Dependants);
            if (step.IsOutput)
            {
                writer.WriteBoolean("out", true);
            }

            WriteCallbacks(writer, "ok", step.OnSuccess);
            WriteCallbacks(writer, "err", step.OnFailure);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static StepDefinition Decode(ReadOnlyMemory<byte> json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var isGroup = root.TryGetProperty("g", out var members);
        var inputs = new List<StepInput>();
        if (root.TryGetProperty("in", out var inArray))
        {
            foreach (var input in inArray.EnumerateArray())
            {
                inputs.Add(new StepInput(input[0].GetString()!, input[1].GetInt32()));
            }
        }

        var (actor, queue, arguments, headers, trackStatus, delay) = isGroup ? ("", "", ReadOnlyMemory<byte>.Empty, null, null, null) : ReadTask(root);
        return new StepDefinition
        {
            IsGroup = isGroup,
            Actor = actor,
            Queue = queue,
            Arguments = arguments,
            Headers = headers,
            TrackStatus = trackStatus,
            Delay = delay,
            Inputs = [.. inputs],
            Members = isGroup ? ReadInts(members) : [],
            MaxFailures = root.TryGetProperty("tol", out var tol) ? tol.GetInt32() : 0,
            DependsOn = ReadInts(root.GetProperty("dep")),
            Dependants = ReadInts(root.GetProperty("next")),
            IsOutput = root.TryGetProperty("out", out var output) && output.GetBoolean(),
            OnSuccess = ReadCallbacks(root, "ok"),
            OnFailure = ReadCallbacks(root, "err"),
        };
    }

    /// <summary>The summary status reads use: per step, its actor (null for a group) and the steps it waits for:
    /// <c>[{"a":actor,"d":[steps]}]</c>.</summary>
    public static byte[] EncodeSummary(IReadOnlyList<StepDefinition> steps)
    {
        var buffer = new ArrayBufferWriter<byte>(64 * steps.Count + 16);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var step in steps)
            {
                writer.WriteStartObject();
                if (step.IsGroup)
                {
                    writer.WriteNull("a");
                }
                else
                {
                    writer.WriteString("a", step.Actor);
                }

                WriteInts(writer, "d", step.DependsOn);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static List<(string? Actor, int[] DependsOn)> DecodeSummary(ReadOnlyMemory<byte> json)
    {
        using var document = JsonDocument.Parse(json);
        var steps = new List<(string?, int[])>();
        foreach (var step in document.RootElement.EnumerateArray())
        {
            var actor = step.GetProperty("a");
            steps.Add((actor.ValueKind == JsonValueKind.Null ? null : actor.GetString(), ReadInts(step.GetProperty("d"))));
        }

        return steps;
    }

    private static void WriteTask(Utf8JsonWriter writer, string actor, string queue, ReadOnlyMemory<byte> arguments, IReadOnlyDictionary<string, string>? headers, bool? trackStatus, TimeSpan? delay)
    {
        writer.WriteString("a", actor);
        writer.WriteString("q", queue);
        writer.WritePropertyName("args");
        writer.WriteRawValue(arguments.Span, skipInputValidation: false);
        if (headers is { Count: > 0 })
        {
            writer.WriteStartObject("h");
            foreach (var (name, value) in headers)
            {
                writer.WriteString(name, value);
            }

            writer.WriteEndObject();
        }

        if (trackStatus is { } ts)
        {
            writer.WriteBoolean("ts", ts);
        }

        if (delay is { } d)
        {
            writer.WriteNumber("delay", (long)d.TotalMilliseconds);
        }
    }

    private static (string Actor, string Queue, ReadOnlyMemory<byte> Arguments, IReadOnlyDictionary<string, string>? Headers, bool? TrackStatus, TimeSpan? Delay) ReadTask(JsonElement element)
    {
        Dictionary<string, string>? headers = null;
        if (element.TryGetProperty("h", out var h))
        {
            headers = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in h.EnumerateObject())
            {
                headers[property.Name] = property.Value.GetString()!;
            }
        }

        return (
            element.GetProperty("a").GetString()!,
            element.GetProperty("q").GetString()!,
            System.Text.Encoding.UTF8.GetBytes(element.GetProperty("args").GetRawText()),
            headers,
            element.TryGetProperty("ts", out var ts) ? ts.GetBoolean() : null,
            element.TryGetProperty("delay", out var delay) ? TimeSpan.FromMilliseconds(delay.GetInt64()) : null);
    }

    private static void WriteCallbacks(Utf8JsonWriter writer, string name, WorkflowCallback[] callbacks)
    {
        if (callbacks.Length == 0)
        {
            return;
        }

        writer.WriteStartArray(name);
        foreach (var callback in callbacks)
        {
            writer.WriteStartObject();
            WriteTask(writer, callback.Actor, callback.Queue, callback.Arguments, callback.Headers, callback.TrackStatus, callback.Delay);
            if (callback.InputParameter is { } parameter)
            {
                writer.WriteString("p", parameter);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static WorkflowCallback[] ReadCallbacks(JsonElement root, string name)
    {
        if (!root.TryGetProperty(name, out var array))
        {
            return [];
        }

        var callbacks = new List<WorkflowCallback>();
        foreach (var element in array.EnumerateArray())
        {
            var (actor, queue, arguments, headers, trackStatus, delay) = ReadTask(element);
            callbacks.Add(new WorkflowCallback(actor, queue, arguments, element.TryGetProperty("p", out var p) ? p.GetString() : null, headers, trackStatus, delay));
        }

        return [.. callbacks];
    }

    private static void WriteInts(Utf8JsonWriter writer, string name, int[] values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values)
        {
            writer.WriteNumberValue(value);
        }

        writer.WriteEndArray();
    }

    private static int[] ReadInts(JsonElement array)
    {
        var values = new int[array.GetArrayLength()];
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            values[i++] = item.GetInt32();
        }

        return values;
    }
}
