using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis.CSharp;
using TypedTasks.Generators.Helpers;
using TypedTasks.Generators.Model;

namespace TypedTasks.Generators.Emitting;

/// <summary>Emits <c>Tasks.&lt;Type&gt;.&lt;Method&gt;</c>: the typed stub of one actor and its descriptor.</summary>
internal static class ActorStubEmitter
{
    private const string JsonTypeInfo = "global::System.Text.Json.Serialization.Metadata.JsonTypeInfo";
    private const string JsonSerializer = "global::System.Text.Json.JsonSerializer";
    private const string ArgumentException = "global::TypedTasks.TaskArgumentException";

    public static string HintName(ActorModel actor) => "Tasks." + actor.GroupName.TrimStart('@') + "." + actor.StubName.TrimStart('@') + ".g.cs";

    /// <param name="isShapeOnly">The actor has errors: signatures only, with bodies that throw, so that call sites
    /// compile and the actor's own diagnostic is the only error the user sees.</param>
    public static string Emit(ActorModel actor, StubPlacement placement, bool isShapeOnly, CancellationToken cancellationToken)
    {
        var writer = new SourceWriter();
        GeneratedCodeInfo.WriteHeader(writer, placement);

        // Accessibility, docs and attributes of Tasks and of the group are declared once, in the registry's file.
        writer.WriteLine("static partial class Tasks");
        using (writer.OpenBlock())
        {
            writer.WriteLine($"static partial class {actor.GroupName}");
            using (writer.OpenBlock())
            {
                var summary = isShapeOnly
                    ? $"Stands in for the <c>{GeneratedCodeInfo.EscapeXml(actor.WireName)}</c> actor, which has errors: every member throws until they are fixed."
                    : $"Sends and runs the <c>{GeneratedCodeInfo.EscapeXml(actor.WireName)}</c> actor, <see cref=\"{GeneratedCodeInfo.EscapeXml(actor.MethodDocumentationId)}\"/>.";
                writer.WriteLine($"/// <summary>{summary}</summary>");
                writer.WriteLine(GeneratedCodeInfo.Attribute);
                writer.WriteLine(GeneratedCodeInfo.NonUserCodeAttribute);
                writer.WriteLine($"{(placement.IsPublic && !actor.IsPublic ? "internal" : "public")} static class {actor.StubName}");
                using (writer.OpenBlock())
                {
                    WriteConstants(writer, actor, placement, isShapeOnly);
                    if (!isShapeOnly)
                    {
                        WriteJsonMetadata(writer, actor);
                    }

                    cancellationToken.ThrowIfCancellationRequested();
                    WriteMessage(writer, actor, isShapeOnly);
                    WriteSendAsync(writer, actor, isShapeOnly);
                    cancellationToken.ThrowIfCancellationRequested();
                    if (isShapeOnly)
                    {
                        WriteNotGenerated(writer, actor);
                    }
                    else
                    {
                        DescriptorEmitter.Write(writer, actor, placement.StubTypeName(actor));
                    }
                }
            }
        }

        return writer.ToString();
    }

    private static void WriteConstants(SourceWriter writer, ActorModel actor, StubPlacement placement, bool isShapeOnly)
    {
        writer.WriteLines($$"""
            /// <summary>The actor's wire name.</summary>
            public const string Name = {{SymbolDisplay.FormatLiteral(actor.WireName, quote: true)}};

            /// <summary>
            /// The queue the actor's messages go to unless <see cref="global::TypedTasks.SendOptions.Queue"/> names another.
            /// </summary>
            public const string Queue = {{SymbolDisplay.FormatLiteral(actor.Queue, quote: true)}};

            """);
        if (actor.Options.UniqueForSeconds is { } uniqueFor)
        {
            writer.WriteLines($$"""
                /// <summary>
                /// Sends are unique by actor and arguments (<c>[Actor(Unique = true)]</c>): a send while an equal one holds the key
                /// returns the holder's handle. The key is held this many seconds, or until the outcome is final when 0.
                /// </summary>
                public const double UniqueForSeconds = {{uniqueFor}};

                """);
        }

        writer.WriteLine($"/// <summary>The actor's descriptor, as listed in <see cref=\"{placement.TasksTypeName}.Registry\"/>.</summary>");
        writer.WriteLine(isShapeOnly
            ? "public static global::TypedTasks.Generated.ActorDescriptor Actor => throw NotGenerated();"
            : "public static global::TypedTasks.Generated.ActorDescriptor Actor { get; } = new Descriptor();");
        writer.WriteLine();
    }

    private static void WriteNotGenerated(SourceWriter writer, ActorModel actor)
    {
        var message = $"Actor '{actor.WireName}' ({actor.MethodDisplayName}) has compile errors, so its stub has no body: fix the TypedTasks diagnostics on it.";
        writer.WriteLines($$"""
            private static global::System.InvalidOperationException NotGenerated() =>
                new({{SymbolDisplay.FormatLiteral(message, quote: true)}});
            """);
    }

    private static void WriteJsonMetadata(SourceWriter writer, ActorModel actor)
    {
        foreach (var parameter in actor.Parameters)
        {
            if (parameter.Json is { } json)
            {
                WriteJsonField(writer, ArgumentJsonField(parameter), json);
            }
        }

        if (actor.ResultJson is { } result)
        {
            WriteJsonField(writer, "s_resultJson", result);
        }
    }

    /// <summary>Argument fields end in <c>ArgumentJson</c> and the result's does not, so no parameter name can clash.</summary>
    public static string ArgumentJsonField(ParameterModel parameter) => "s_" + parameter.Name + "ArgumentJson";

    private static void WriteJsonField(SourceWriter writer, string field, JsonMetadataSource json)
    {
        var fieldType = $"{JsonTypeInfo}<{json.TypeName}>";
        writer.WriteLine($"private static readonly {fieldType} {field} =");
        writer.Indent();
        switch (json.Kind)
        {
            case JsonMetadataKind.UserContext:
            case JsonMetadataKind.BuiltInContext:
                // Cast and lookup on lines of their own: both spell out long global:: names.
                writer.WriteLine($"({fieldType})");
                writer.WriteLine($"{json.ContextTypeName}.Default.GetTypeInfo(typeof({json.MetadataKey}))!;");
                break;
            case JsonMetadataKind.Enum:
                writer.WriteLine($"global::TypedTasks.Generated.EnumJsonTypeInfo.Create<{json.ContextTypeName}>();");
                break;
            case JsonMetadataKind.NullableEnum:
                writer.WriteLine($"global::TypedTasks.Generated.EnumJsonTypeInfo.CreateNullable<{json.ContextTypeName}>();");
                break;
        }

        writer.Unindent();
        writer.WriteLine();
    }

    private static IEnumerable<ParameterModel> Arguments(ActorModel actor) => actor.Parameters.Where(static p => !p.IsInjected);

    private static IEnumerable<string> Parameters(ActorModel actor) =>
        Arguments(actor).Select(static p => p.TypeName + " " + p.Identifier + (p.DefaultValue is { } value ? " = " + value : string.Empty));

    private static void WriteParameterDocs(SourceWriter writer, ActorModel actor)
    {
        foreach (var parameter in Arguments(actor))
        {
            GeneratedCodeInfo.WriteDocElement(writer, "param", parameter.Documentation ?? $"The actor's <c>{GeneratedCodeInfo.EscapeXml(parameter.Name)}</c> argument.", $"name=\"{GeneratedCodeInfo.EscapeXml(parameter.Name)}\"");
        }
    }

    private static void WriteMessage(SourceWriter writer, ActorModel actor, bool isShapeOnly)
    {
        writer.WriteLine("/// <summary>");
        writer.WriteLine($"/// Builds a <c>{GeneratedCodeInfo.EscapeXml(actor.WireName)}</c> task without sending it, for example to send several");
        writer.WriteLine("/// in one batch with <see cref=\"global::TypedTasks.ITaskClient.SendManyAsync\"/>.");
        writer.WriteLine("/// </summary>");
        WriteParameterDocs(writer, actor);
        writer.WriteLine("/// <param name=\"options\">Per-send overrides: delay, queue, task id, headers.</param>");
        writer.WriteLine("/// <returns>");
        writer.WriteLine("/// The request, with its arguments encoded as a UTF-8 JSON object; the client resolves its id and times when it sends.");
        writer.WriteLine("/// </returns>");
        var parameters = Parameters(actor).Append("global::TypedTasks.SendOptions? options = null");
        if (isShapeOnly)
        {
            WriteSignature(writer, "public static global::TypedTasks.TaskRequest Message", parameters, " =>");
            writer.Indent();
            writer.WriteLine("throw NotGenerated();");
            writer.Unindent();
            writer.WriteLine();
            return;
        }

        WriteSignature(writer, "public static global::TypedTasks.TaskRequest Message", parameters, string.Empty);
        using (writer.OpenBlock())
        {
            writer.WriteLine("var __arguments = new global::System.Buffers.ArrayBufferWriter<byte>();");
            writer.WriteLine("using (var __writer = new global::System.Text.Json.Utf8JsonWriter(__arguments))");
            using (writer.OpenBlock())
            {
                writer.WriteLine("__writer.WriteStartObject();");
                foreach (var parameter in Arguments(actor))
                {
                    writer.WriteLine($"__writer.WritePropertyName({SymbolDisplay.FormatLiteral(parameter.Name, quote: true)}u8);");
                    writer.WriteLine($"{JsonSerializer}.Serialize(__writer, {parameter.Identifier}, {ArgumentJsonField(parameter)});");
                }

                writer.WriteLine("__writer.WriteEndObject();");
            }

            writer.WriteLine();
            // Actor-level defaults (status tracking, uniqueness by arguments) go into the request; SendOptions still decide.
            var tracked = actor.Options.TrackStatus is not null;
            var create = actor.Options.UniqueForSeconds is null
                ? (tracked ? "CreateTracked" : "Create")
                : (tracked ? "CreateTrackedUnique" : "CreateUnique");
            var uniqueFor = actor.Options.UniqueForSeconds is null ? string.Empty : ", UniqueForSeconds";
            writer.WriteLine($"return global::TypedTasks.Generated.TaskMessages.{create}(Name, Queue, __arguments.WrittenMemory, options{uniqueFor});");
        }

        writer.WriteLine();
    }

    private static void WriteSendAsync(SourceWriter writer, ActorModel actor, bool isShapeOnly)
    {
        var handle = actor.HasResult ? $"global::TypedTasks.TaskHandle<{actor.ResultTypeName}>" : "global::TypedTasks.TaskHandle";
        var returnType = $"global::System.Threading.Tasks.ValueTask<{handle}>";
        var parameters = Parameters(actor).Concat(
            ["global::TypedTasks.SendOptions? options = null", "global::System.Threading.CancellationToken cancellationToken = default"]).ToArray();
        var arguments = string.Concat(Arguments(actor).Select(static p => p.Identifier + ", "));

        WriteSendDocs(writer, actor, "<see cref=\"global::TypedTasks.TaskClient.Default\"/>");
        WriteSignature(writer, $"public static {returnType} SendAsync", parameters, " =>");
        writer.Indent();
        writer.WriteLine(isShapeOnly
            ? "throw NotGenerated();"
            : $"SendAsync(global::TypedTasks.TaskClient.Default, {arguments}options, cancellationToken);");
        writer.Unindent();
        writer.WriteLine();

        WriteSendDocs(writer, actor, "<paramref name=\"client\"/>");
        var withClient = new[] { "global::TypedTasks.ITaskClient client" }.Concat(parameters);
        if (isShapeOnly)
        {
            WriteSignature(writer, $"public static {returnType} SendAsync", withClient, " =>");
            writer.Indent();
            writer.WriteLine("throw NotGenerated();");
            writer.Unindent();
        }
        else
        {
            WriteSignature(writer, $"public static {(actor.HasResult ? "async " : string.Empty)}{returnType} SendAsync", withClient, string.Empty);
            using (writer.OpenBlock())
            {
                writer.WriteLine("global::System.ArgumentNullException.ThrowIfNull(client);");
                if (actor.HasResult)
                {
                    writer.WriteLine($"var __handle = await client.SendAsync(Message({arguments}options), cancellationToken).ConfigureAwait(false);");
                    writer.WriteLine($"return new {handle}(__handle, s_resultJson);");
                }
                else
                {
                    writer.WriteLine($"return client.SendAsync(Message({arguments}options), cancellationToken);");
                }
            }
        }

        writer.WriteLine();
        if (actor.HasResult)
        {
            writer.WriteLine("/// <summary>");
            writer.WriteLine($"/// Types a handle of a <c>{GeneratedCodeInfo.EscapeXml(actor.WireName)}</c> task (for example one returned by");
            writer.WriteLine("/// <see cref=\"global::TypedTasks.ITaskClient.SendManyAsync\"/>) so its result can be awaited.");
            writer.WriteLine("/// </summary>");
            writer.WriteLine("/// <param name=\"handle\">A handle of a task of this actor.</param>");
            writer.WriteLine("/// <returns>The typed handle.</returns>");
            writer.WriteLine($"public static {handle} Handle(global::TypedTasks.TaskHandle handle) =>");
            writer.Indent();
            writer.WriteLine(isShapeOnly ? "throw NotGenerated();" : $"new {handle}(handle, s_resultJson);");
            writer.Unindent();
            writer.WriteLine();
        }
    }

    /// <summary>Writes a signature one parameter a line, so generated lines stay short however many there are.</summary>
    private static void WriteSignature(SourceWriter writer, string head, IEnumerable<string> parameters, string tail)
    {
        var list = parameters.ToList();
        writer.WriteLine(head + "(");
        writer.Indent();
        for (var i = 0; i < list.Count; i++)
        {
            writer.WriteLine(list[i] + (i == list.Count - 1 ? ")" + tail : ","));
        }

        writer.Unindent();
    }

    private static void WriteSendDocs(SourceWriter writer, ActorModel actor, string through)
    {
        var sentThrough = $"The task is sent through {through}.";
        GeneratedCodeInfo.WriteDocElement(writer, "summary", actor.Summary ?? $"Sends a <c>{GeneratedCodeInfo.EscapeXml(actor.WireName)}</c> task.");
        GeneratedCodeInfo.WriteDocElement(writer, "remarks", actor.Remarks is { } remarks ? "<para>\n" + remarks + "\n</para>\n<para>" + sentThrough + "</para>" : sentThrough);
        if (through.Contains("paramref"))
        {
            writer.WriteLine("/// <param name=\"client\">The client that sends the task.</param>");
        }

        WriteParameterDocs(writer, actor);
        writer.WriteLine("/// <param name=\"options\">Per-send overrides: delay, queue, task id, headers.</param>");
        writer.WriteLine("/// <param name=\"cancellationToken\">Cancels sending (not the task).</param>");
        writer.WriteLine(actor.HasResult
            ? "/// <returns>A handle to the sent task; <see cref=\"global::TypedTasks.TaskHandle{T}.GetResultAsync\"/> waits for its result.</returns>"
            : "/// <returns>A handle to the sent task.</returns>");
    }
}
