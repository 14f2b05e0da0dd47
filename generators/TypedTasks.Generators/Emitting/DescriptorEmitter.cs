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

    /// <param name="stubTypeName">The stub class, fully qualified: inside the descriptor, <c>Name</c> and <c>Queue</c>
    /// are the inherited instance properties, so the stub's constants need qualifying.</param>
    public static void Write(SourceWriter writer, ActorModel actor, string stubTypeName)
    {
        writer.WriteLine(GeneratedCodeInfo.Attribute);
        writer.WriteLine(GeneratedCodeInfo.NonUserCodeAttribute);
        writer.WriteLine("private sealed class Descriptor : global::TypedTasks.Generated.ActorDescriptor");
        using (writer.OpenBlock())
        {
            WriteConstructor(writer, actor, stubTypeName);
            writer.WriteLine($"public override bool HasResult => {(actor.HasResult ? "true" : "false")};");
            writer.WriteLine();
            if (actor.Parameters.Any(static p => p.IsProgress))
            {
                writer.WriteLine("public override bool ReportsProgress => true;");
                writer.WriteLine();
            }

            WriteSchedules(writer, actor);
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

    private static void WriteConstructor(SourceWriter writer, ActorModel actor, string constants)
    {
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
                WriteOption(writer, "TraceParenting", options.TraceParenting);
                WriteOption(writer, "TrackStatus", options.TrackStatus);
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
        var arguments = actor.Parameters.Where(static p => !p.IsInjected).ToArray();
        var outs = string.Concat(arguments.Select(static p => ", out var " + Local(p)));
        var call = actor.Instance is null
            ? $"{actor.ContainingTypeName}.{actor.MethodName}"
            : $"CreateInstance(invocation.Services).{actor.MethodName}";
        call += "(" + string.Join(", ", actor.Parameters.Select(static p => p.IsCancellationToken ? "invocation.CancellationToken" : p.IsProgress ? "invocation.Progress ?? global::TypedTasks.TaskProgress.None" : Local(p))) + ")";

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
                            var __task = {{call}};
                            if (__task.IsCompletedSuccessfully)
                            {
                                // Completed synchronously: no state machine for the common fast path.
                                WriteResult(invocation.Result, __task.Result);
                                return default;
                            }

                            return WriteResultAsync(__task, invocation.Result);
                            """);
                        break;
                }
            }

            writer.WriteLine("catch (global::System.Exception __exception)");
            using (writer.OpenBlock())
            {
                writer.WriteLine("return global::System.Threading.Tasks.ValueTask.FromException(__exception);");
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
        var arguments = actor.Parameters.Where(static p => !p.IsInjected).ToArray();
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

            writer.WriteLine("string? __parameter = null;");
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

                    var __reader = new global::System.Text.Json.Utf8JsonReader(json);
                    if (!__reader.Read() || __reader.TokenType != {{JsonTokenType}}.StartObject)
                    {
                        throw new {{TaskArgumentException}}("The arguments of actor '{{wireName}}' must be a JSON object.");
                    }

                    while (__reader.Read() && __reader.TokenType == {{JsonTokenType}}.PropertyName)
                    {
                    """);
                writer.Indent();
                var first = true;
                foreach (var parameter in arguments)
                {
                    writer.WriteLine($"{(first ? string.Empty : "else ")}if (__reader.ValueTextEquals({SymbolDisplay.FormatLiteral(parameter.Name, quote: true)}u8))");
                    first = false;
                    using (writer.OpenBlock())
                    {
                        writer.WriteLine($"__parameter = {SymbolDisplay.FormatLiteral(parameter.Name, quote: true)};");
                        writer.WriteLine("__reader.Read();");
                        var nullCheck = parameter.RejectsNull
                            ? $" ?? throw new {TaskArgumentException}(\"The argument '{SymbolDisplay.FormatLiteral(parameter.Name, quote: false)}' of actor '{wireName}' must not be null.\")"
                            : string.Empty;
                        var deserialize = $"{JsonSerializer}.Deserialize(ref __reader, {ActorStubEmitter.ArgumentJsonField(parameter)})";
                        writer.WriteLine($"{Local(parameter)} = {DirectRead(parameter, deserialize)}{nullCheck};");
                        writer.WriteLine("__parameter = null;");
                        if (!parameter.IsOptional)
                        {
                            writer.WriteLine($"{Found(parameter)} = true;");
                        }
                    }
                }

                writer.WriteLine(first ? "__reader.Read();" : "else");
                if (!first)
                {
                    writer.WriteLine("{");
                    writer.Indent();
                    writer.WriteLine("// Unknown properties are skipped: a newer producer may send arguments this version does not take.");
                    writer.WriteLine("__reader.Read();");
                }

                writer.WriteLine("__reader.Skip();");
                if (!first)
                {
                    writer.Unindent();
                    writer.WriteLine("}");
                }

                writer.Unindent();
                writer.WriteLine("}");
                writer.WriteLines($$"""

                    // Exactly one object: the reader throws on anything but whitespace after its closing brace.
                    if (__reader.Read())
                    {
                        throw new {{TaskArgumentException}}("The arguments of actor '{{wireName}}' must be exactly one JSON object.");
                    }
                    """);
            }

            // Whatever reading throws (JsonException, or InvalidOperationException, FormatException, OverflowException...
            // from the reader or a converter) is a fault of the bytes, not of this attempt: no retry can fix it.
            writer.WriteLines($$"""
                catch (global::System.Exception __exception) when (__exception is not {{TaskArgumentException}})
                {
                    throw new {{TaskArgumentException}}(
                        __parameter is null
                            ? "The arguments of actor '{{wireName}}' are not valid JSON: " + __exception.Message
                            : "The argument '" + __parameter + "' of actor '{{wireName}}' is not valid: " + __exception.Message,
                        __exception);
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

    private static void WriteSchedules(SourceWriter writer, ActorModel actor)
    {
        if (actor.Schedules.IsEmpty)
        {
            return;
        }

        // Checked at build time (TT0208-TT0212); a scheduler writes them to the broker at start.
        writer.WriteLine("public override global::System.Collections.Generic.IReadOnlyList<global::TypedTasks.Generated.ActorSchedule> Schedules { get; } = new global::TypedTasks.Generated.ActorSchedule[]");
        using (writer.OpenBlock(";"))
        {
            foreach (var schedule in actor.Schedules)
            {
                var timeZone = schedule.TimeZone is null ? "null" : Literal(schedule.TimeZone);
                writer.WriteLine($"new global::TypedTasks.Generated.ActorSchedule({Literal(schedule.Name)}, {Literal(schedule.Cron)}, {timeZone}),");
            }
        }

        writer.WriteLine();
    }

    private static string Literal(string value) => Microsoft.CodeAnalysis.CSharp.SymbolDisplay.FormatLiteral(value, quote: true);

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

                if (services.GetService(typeof({{instance.TypeName}})) is {{instance.TypeName}} __registered)
                {
                    return __registered;
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
                writer.WriteLine($"services.GetService(typeof({serviceType})) is {serviceType} __service{i} ? __service{i} : {fallback}{separator}");
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
                using var __writer = new global::System.Text.Json.Utf8JsonWriter(destination);
                {{JsonSerializer}}.Serialize(__writer, value, s_resultJson);
            }
            """);
    }

    /// <summary>
    /// One scheme for every generated local: a <c>__</c> prefix. Locals named after a parameter also end in a suffix
    /// (<c>__amountArgument</c>, <c>__amountFound</c>, <c>__amountValue</c>), so they can clash neither with each other
    /// nor with the fixed ones (<c>__reader</c>, <c>__parameter</c>, <c>__task</c>...).
    /// </summary>
    private static string Local(ParameterModel parameter) => "__" + parameter.Name + "Argument";

    private static string Found(ParameterModel parameter) => "__" + parameter.Name + "Found";

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
            "int" => $"__reader.TokenType == {JsonTokenType}.Number && __reader.TryGetInt32(out var {value}) ? {value} : {deserialize}",
            "long" => $"__reader.TokenType == {JsonTokenType}.Number && __reader.TryGetInt64(out var {value}) ? {value} : {deserialize}",
            "double" => $"__reader.TokenType == {JsonTokenType}.Number && __reader.TryGetDouble(out var {value}) ? {value} : {deserialize}",
            "decimal" => $"__reader.TokenType == {JsonTokenType}.Number && __reader.TryGetDecimal(out var {value}) ? {value} : {deserialize}",
            "bool" => $"__reader.TokenType == {JsonTokenType}.True || (__reader.TokenType != {JsonTokenType}.False && {deserialize})",
            "string" => $"__reader.TokenType == {JsonTokenType}.String ? __reader.GetString()! : {deserialize}",
            "global::System.Guid" => $"__reader.TokenType == {JsonTokenType}.String && __reader.TryGetGuid(out var {value}) ? {value} : {deserialize}",
            _ => null,
        };
        return direct is null ? deserialize : "(" + direct + ")";
    }
}
