using System.Linq;
using Microsoft.CodeAnalysis.CSharp;
using TypedTasks.Generators.Helpers;
using TypedTasks.Generators.Model;

namespace TypedTasks.Generators.Emitting;

/// <summary>Emits the private <c>Descriptor</c> of one stub: options, argument reading, invocation, result writing.</summary>
internal static class DescriptorEmitter
{
    private const string JsonSerializer = "global::System.Text.Json.JsonSerializer";
    private const string JsonTokenType = "global::System.Text.Json.JsonTokenType";
    private const string TaskArgumentException = "global::TypedTasks.TaskArgumentException";
    private const string BufferWriter = "global::System.Buffers.IBufferWriter<byte>";

    public static void Write(SourceWriter writer, ActorModel actor)
    {
        writer.WriteLine(GeneratedCodeInfo.Attribute);
        writer.WriteLine("private sealed class Descriptor : global::TypedTasks.Generated.ActorDescriptor");
        using (writer.OpenBlock())
        {
            WriteConstructor(writer, actor);
            writer.WriteLine($"public override bool HasResult => {(actor.HasResult ? "true" : "false")};");
            writer.WriteLine();
            if (actor.Instance is { } dependencies)
            {
                WriteDependencies(writer, dependencies);
            }

            WriteInvokeAsync(writer, actor);
            WriteShouldRetry(writer, actor);
            WriteReadArguments(writer, actor);
            if (actor.Instance is { } instance)
            {
                WriteCreateInstance(writer, actor, instance);
            }

            if (actor.HasResult)
            {
                WriteResultHelpers(writer, actor);
            }
        }
    }

    private static void WriteConstructor(SourceWriter writer, ActorModel actor)
    {
        // Inside the descriptor, Name and Queue are the inherited instance properties: qualify the stub's constants.
        var constants = "global::Tasks." + actor.StubName;
        writer.WriteLine("public Descriptor()");
        writer.Indent();
        var options = actor.Options;
        if (options.IsEmpty)
        {
            writer.WriteLine($": base({constants}.Name, {constants}.Queue, global::TypedTasks.Generated.ActorOptions.Default)");
        }
        else
        {
            writer.WriteLine($": base({constants}.Name, {constants}.Queue, new global::TypedTasks.Generated.ActorOptions");
            using (writer.OpenBlock(")"))
            {
                WriteOption(writer, "MaxRetries", options.MaxRetries);
                WriteOption(writer, "MinBackoff", Seconds(options.MinBackoffSeconds));
                WriteOption(writer, "MaxBackoff", Seconds(options.MaxBackoffSeconds));
                WriteOption(writer, "TimeLimit", Seconds(options.TimeLimitSeconds));
                WriteOption(writer, "MaxAge", Seconds(options.MaxAgeSeconds));
                WriteOption(writer, "Priority", options.Priority);
                WriteOption(writer, "StoreResults", options.StoreResults);
            }
        }

        writer.Unindent();
        writer.WriteLine("{");
        writer.WriteLine("}");
        writer.WriteLine();

        static string? Seconds(string? seconds) => seconds is null ? null : $"global::System.TimeSpan.FromSeconds({seconds})";

        static void WriteOption(SourceWriter writer, string name, string? value)
        {
            if (value is not null)
            {
                writer.WriteLine($"{name} = {value},");
            }
        }
    }

    private static void WriteInvokeAsync(SourceWriter writer, ActorModel actor)
    {
        var arguments = actor.Parameters.Where(static p => !p.IsCancellationToken).ToArray();
        var outs = string.Concat(arguments.Select(static p => ", out var " + Local(p)));
        var call = actor.Instance is null
            ? $"{actor.ContainingTypeName}.{actor.MethodName}"
            : $"CreateInstance(invocation.Services).{actor.MethodName}";
        call += "(" + string.Join(", ", actor.Parameters.Select(static p => p.IsCancellationToken ? "invocation.CancellationToken" : Local(p))) + ")";

        writer.WriteLine("public override global::System.Threading.Tasks.ValueTask InvokeAsync(global::TypedTasks.Generated.ActorInvocation invocation)");
        using (writer.OpenBlock())
        {
            // Failures before the first await become a faulted task, as they would in an async method.
            writer.WriteLine("try");
            using (writer.OpenBlock())
            {
                writer.WriteLine($"ReadArguments(invocation.Arguments.Span{outs});");
                switch (actor.ReturnKind)
                {
                    case ReturnKind.Void:
                        writer.WriteLine($"{call};");
                        writer.WriteLine("return default;");
                        break;
                    case ReturnKind.Value:
                        writer.WriteLine($"WriteResult(invocation.Result, {call});");
                        writer.WriteLine("return default;");
                        break;
                    case ReturnKind.Task:
                        writer.WriteLine($"return new global::System.Threading.Tasks.ValueTask({call});");
                        break;
                    case ReturnKind.ValueTask:
                        writer.WriteLine($"return {call};");
                        break;
                    case ReturnKind.TaskOfT:
                    case ReturnKind.ValueTaskOfT:
                        writer.WriteLines($$"""
                            var task = {{call}};
                            if (task.IsCompletedSuccessfully)
                            {
                                // Completed synchronously: no state machine for the common fast path.
                                WriteResult(invocation.Result, task.Result);
                                return default;
                            }

                            return WriteResultAsync(task, invocation.Result);
                            """);
                        break;
                }
            }

            writer.WriteLine("catch (global::System.Exception exception)");
            using (writer.OpenBlock())
            {
                writer.WriteLine("return global::System.Threading.Tasks.ValueTask.FromException(exception);");
            }
        }

        writer.WriteLine();
    }

    private static void WriteShouldRetry(SourceWriter writer, ActorModel actor)
    {
        if (actor.Options.DoNotRetryOn.IsEmpty)
        {
            return;
        }

        var checks = string.Join(" and not ", actor.Options.DoNotRetryOn);
        writer.WriteLine($"public override bool ShouldRetry(global::System.Exception exception) => exception is not {checks};");
        writer.WriteLine();
    }

    private static void WriteReadArguments(SourceWriter writer, ActorModel actor)
    {
        var arguments = actor.Parameters.Where(static p => !p.IsCancellationToken).ToArray();
        var wireName = SymbolDisplay.FormatLiteral(actor.WireName, quote: false);
        var outs = string.Concat(arguments.Select(static p => $", out {p.TypeName} {Local(p)}"));

        // Utf8JsonReader is a ref struct: it cannot live in an async method, so reading is a synchronous step.
        writer.WriteLine($"private static void ReadArguments(global::System.ReadOnlySpan<byte> json{outs})");
        using (writer.OpenBlock())
        {
            foreach (var parameter in arguments)
            {
                writer.WriteLine($"{Local(parameter)} = {parameter.DefaultValue ?? "default!"};");
            }

            foreach (var parameter in arguments.Where(static p => !p.IsOptional))
            {
                writer.WriteLine($"var {Found(parameter)} = false;");
            }

            writer.WriteLine("string? parameter = null;");
            writer.WriteLine("try");
            using (writer.OpenBlock())
            {
                writer.WriteLines($$"""
                    // The reader checks UTF-8 only in what it transcodes, so a property name or a skipped value could carry
                    // invalid bytes through unnoticed: the whole payload is checked once (vectorized, no allocation).
                    if (!global::System.Text.Unicode.Utf8.IsValid(json))
                    {
                        throw new {{TaskArgumentException}}("The arguments of actor '{{wireName}}' are not valid UTF-8.");
                    }

                    var reader = new global::System.Text.Json.Utf8JsonReader(json);
                    if (!reader.Read() || reader.TokenType != {{JsonTokenType}}.StartObject)
                    {
                        throw new {{TaskArgumentException}}("The arguments of actor '{{wireName}}' must be a JSON object.");
                    }

                    while (reader.Read() && reader.TokenType == {{JsonTokenType}}.PropertyName)
                    {
                    """);
                writer.Indent();
                var first = true;
                foreach (var parameter in arguments)
                {
                    writer.WriteLine($"{(first ? string.Empty : "else ")}if (reader.ValueTextEquals({SymbolDisplay.FormatLiteral(parameter.Name, quote: true)}u8))");
                    first = false;
                    using (writer.OpenBlock())
                    {
                        writer.WriteLine($"parameter = {SymbolDisplay.FormatLiteral(parameter.Name, quote: true)};");
                        writer.WriteLine("reader.Read();");
                        var nullCheck = parameter.RejectsNull
                            ? $" ?? throw new {TaskArgumentException}(\"The argument '{SymbolDisplay.FormatLiteral(parameter.Name, quote: false)}' of actor '{wireName}' must not be null.\")"
                            : string.Empty;
                        var deserialize = $"{JsonSerializer}.Deserialize(ref reader, {ActorStubEmitter.ArgumentJsonField(parameter)})";
                        writer.WriteLine($"{Local(parameter)} = {DirectRead(parameter, deserialize)}{nullCheck};");
                        writer.WriteLine("parameter = null;");
                        if (!parameter.IsOptional)
                        {
                            writer.WriteLine($"{Found(parameter)} = true;");
                        }
                    }
                }

                writer.WriteLine(first ? "reader.Read();" : "else");
                if (!first)
                {
                    writer.WriteLine("{");
                    writer.Indent();
                    writer.WriteLine("// Unknown properties are skipped: a newer producer may send arguments this version does not take.");
                    writer.WriteLine("reader.Read();");
                }

                writer.WriteLine("reader.Skip();");
                if (!first)
                {
                    writer.Unindent();
                    writer.WriteLine("}");
                }

                writer.Unindent();
                writer.WriteLine("}");
                writer.WriteLines($$"""

                    // Exactly one object: the reader throws on anything but whitespace after its closing brace.
                    if (reader.Read())
                    {
                        throw new {{TaskArgumentException}}("The arguments of actor '{{wireName}}' must be exactly one JSON object.");
                    }
                    """);
            }

            // Whatever reading throws (JsonException, or InvalidOperationException, FormatException, OverflowException...
            // from the reader or a converter) is a fault of the bytes, not of this attempt: no retry can fix it.
            writer.WriteLines($$"""
                catch (global::System.Exception exception) when (exception is not {{TaskArgumentException}})
                {
                    throw new {{TaskArgumentException}}(
                        parameter is null
                            ? "The arguments of actor '{{wireName}}' are not valid JSON: " + exception.Message
                            : "The argument '" + parameter + "' of actor '{{wireName}}' is not valid: " + exception.Message,
                        exception);
                }
                """);

            foreach (var parameter in arguments.Where(static p => !p.IsOptional))
            {
                writer.WriteLine();
                writer.WriteLine($"if (!{Found(parameter)})");
                using (writer.OpenBlock())
                {
                    writer.WriteLine($"throw new {TaskArgumentException}(\"The arguments of actor '{wireName}' have no value for the required parameter '{SymbolDisplay.FormatLiteral(parameter.Name, quote: false)}'.\");");
                }
            }
        }

        writer.WriteLine();
    }

    private static void WriteDependencies(SourceWriter writer, InstanceFactoryModel instance)
    {
        // Plain typeof list, so a worker can check its container at start without reflecting over constructors.
        writer.WriteLine($"public override global::System.Type InstanceType => typeof({instance.TypeName});");
        writer.WriteLine();
        var required = instance.ConstructorParameters.Where(static p => p.DefaultValue is null).ToArray();
        if (required.Length == 0)
        {
            return;
        }

        writer.WriteLine("public override global::System.Collections.Generic.IReadOnlyList<global::System.Type> Dependencies { get; } = new global::System.Type[]");
        using (writer.OpenBlock(";"))
        {
            foreach (var service in required)
            {
                writer.WriteLine($"typeof({ServiceType(service)}),");
            }
        }

        writer.WriteLine();
    }

    private static string ServiceType(ServiceParameterModel service) =>
        service.TypeName.EndsWith("?", System.StringComparison.Ordinal) ? service.TypeName.Substring(0, service.TypeName.Length - 1) : service.TypeName;

    private static void WriteCreateInstance(SourceWriter writer, ActorModel actor, InstanceFactoryModel instance)
    {
        var wireName = SymbolDisplay.FormatLiteral(actor.WireName, quote: false);
        var typeDisplay = SymbolDisplay.FormatLiteral(instance.DisplayName, quote: false);
        writer.WriteLines($$"""
            // The type is resolved from the container when registered there; otherwise it is built here with its
            // constructor's dependencies from the container. Both paths are plain code: no Activator, no reflection.
            // A missing service is a deployment fault that no retry of this message can fix, hence NonRetryableException.
            private static {{instance.TypeName}} CreateInstance(global::System.IServiceProvider? services)
            {
                if (services is null)
                {
                    throw new global::TypedTasks.NonRetryableException("Actor '{{wireName}}' is an instance method of '{{typeDisplay}}' and needs a service provider, but the invocation has none.");
                }

                if (services.GetService(typeof({{instance.TypeName}})) is {{instance.TypeName}} registered)
                {
                    return registered;
                }

            """);
        writer.Indent();
        if (instance.ConstructorParameters.IsEmpty)
        {
            writer.WriteLine($"return new {instance.TypeName}();");
        }
        else
        {
            writer.WriteLine($"return new {instance.TypeName}(");
            writer.Indent();
            for (var i = 0; i < instance.ConstructorParameters.Count; i++)
            {
                var service = instance.ConstructorParameters[i];
                var serviceType = ServiceType(service);
                var fallback = service.DefaultValue is { } value
                    ? (value == "null" ? "null!" : value)
                    : $"throw new global::TypedTasks.NonRetryableException(\"Actor '{wireName}' needs the service '{SymbolDisplay.FormatLiteral(service.DisplayName, quote: false)}' to construct '{typeDisplay}', but the service provider has none: register it, or register '{typeDisplay}' itself.\")";
                var separator = i == instance.ConstructorParameters.Count - 1 ? ");" : ",";
                writer.WriteLine($"services.GetService(typeof({serviceType})) is {serviceType} service{i} ? service{i} : {fallback}{separator}");
            }

            writer.Unindent();
        }

        writer.Unindent();
        writer.WriteLine("}");
        writer.WriteLine();
    }

    private static void WriteResultHelpers(SourceWriter writer, ActorModel actor)
    {
        var taskType = actor.ReturnKind switch
        {
            ReturnKind.TaskOfT => $"global::System.Threading.Tasks.Task<{actor.ResultTypeName}>",
            ReturnKind.ValueTaskOfT => $"global::System.Threading.Tasks.ValueTask<{actor.ResultTypeName}>",
            _ => null,
        };
        if (taskType is not null)
        {
            writer.WriteLines($$"""
                private static async global::System.Threading.Tasks.ValueTask WriteResultAsync({{taskType}} task, {{BufferWriter}} destination)
                {
                    WriteResult(destination, await task.ConfigureAwait(false));
                }

                """);
        }

        writer.WriteLines($$"""
            private static void WriteResult({{BufferWriter}} destination, {{actor.ResultTypeName}} value)
            {
                using var writer = new global::System.Text.Json.Utf8JsonWriter(destination);
                {{JsonSerializer}}.Serialize(writer, value, s_resultJson);
            }
            """);
    }

    /// <summary>Locals carry a prefix, so that no parameter name can clash with the helper's own locals.</summary>
    private static string Local(ParameterModel parameter) => "arg_" + parameter.Name;

    private static string Found(ParameterModel parameter) => "has_" + parameter.Name;

    /// <summary>
    /// For the commonest built-in parameter types, reads the canonical token straight from the reader (about twice as
    /// fast as going through the serializer) and falls back to <paramref name="deserialize"/> for anything else —
    /// numbers in strings, nulls, malformed values — so accepted input and error messages stay exactly the serializer's.
    /// </summary>
    private static string DirectRead(ParameterModel parameter, string deserialize)
    {
        if (parameter.Json is not { Kind: JsonMetadataKind.BuiltInContext } json)
        {
            return deserialize;
        }

        var value = "__" + parameter.Name + "Value";
        var direct = json.MetadataKey switch
        {
            "int" => $"reader.TokenType == {JsonTokenType}.Number && reader.TryGetInt32(out var {value}) ? {value} : {deserialize}",
            "long" => $"reader.TokenType == {JsonTokenType}.Number && reader.TryGetInt64(out var {value}) ? {value} : {deserialize}",
            "double" => $"reader.TokenType == {JsonTokenType}.Number && reader.TryGetDouble(out var {value}) ? {value} : {deserialize}",
            "decimal" => $"reader.TokenType == {JsonTokenType}.Number && reader.TryGetDecimal(out var {value}) ? {value} : {deserialize}",
            "bool" => $"reader.TokenType == {JsonTokenType}.True || (reader.TokenType != {JsonTokenType}.False && {deserialize})",
            "string" => $"reader.TokenType == {JsonTokenType}.String ? reader.GetString()! : {deserialize}",
            "global::System.Guid" => $"reader.TokenType == {JsonTokenType}.String && reader.TryGetGuid(out var {value}) ? {value} : {deserialize}",
            _ => null,
        };
        return direct is null ? deserialize : "(" + direct + ")";
    }
}
