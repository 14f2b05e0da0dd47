using System;
using System.Buffers;
using System.Collections.Generic;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace TypedTasks.Benchmarks;

/// <summary>
/// The baseline: how a task runner without a source generator dispatches (Hangfire, Celery-style .NET ports): find
/// the method by name, turn the JSON object's properties into parameter values with the reflection-based
/// <see cref="JsonSerializer"/>, <see cref="MethodInfo.Invoke(object, object[])"/>, serialize the return value by its
/// runtime type. Method and parameter lookups are cached at start-up, as any real implementation would; the per-call
/// work is what reflection cannot avoid.
/// </summary>
public sealed class ReflectionDispatcher
{
    // The reflection resolver, named explicitly: BenchmarkDotNet runs the benchmarks in a host project it generates,
    // whose runtimeconfig does not carry this project's JsonSerializerIsReflectionEnabledByDefault=true.
    private static readonly JsonSerializerOptions s_reflectionJson = new() { TypeInfoResolver = new DefaultJsonTypeInfoResolver() };

    private readonly Dictionary<string, (MethodInfo Method, ParameterInfo[] Parameters)> _methods = new(StringComparer.Ordinal);

    public ReflectionDispatcher(Type actors)
    {
        foreach (var method in actors.GetMethods(BindingFlags.Public | BindingFlags.Static))
        {
            if (method.GetCustomAttribute<ActorAttribute>() is not null)
            {
                _methods.Add(method.Name, (method, method.GetParameters()));
            }
        }
    }

    public void Dispatch(string actor, ReadOnlyMemory<byte> arguments, IBufferWriter<byte> result)
    {
        if (!_methods.TryGetValue(actor, out var target))
        {
            throw new InvalidOperationException($"No actor '{actor}'.");
        }

        using var document = JsonDocument.Parse(arguments);
        var values = new object?[target.Parameters.Length];
        for (var i = 0; i < values.Length; i++)
        {
            var parameter = target.Parameters[i];
            values[i] = document.RootElement.TryGetProperty(parameter.Name!, out var element)
                ? element.Deserialize(parameter.ParameterType, s_reflectionJson)
                : throw new InvalidOperationException($"Missing argument '{parameter.Name}'.");
        }

        var returned = target.Method.Invoke(null, values);
        if (target.Method.ReturnType != typeof(void))
        {
            using var writer = new Utf8JsonWriter(result);
            JsonSerializer.Serialize(writer, returned, target.Method.ReturnType, s_reflectionJson);
        }
    }
}
