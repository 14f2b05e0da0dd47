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
                    WriteWith(writer, actor, isShapeOnly);
                    WriteStep(writer, actor, isShapeOnly);
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

    private static IEnumerable<string> Parameters(ActorModel actor) => Parameters(Arguments(actor));

    private static IEnumerable<string> Parameters(IEnumerable<ParameterModel> arguments) =>
        arguments.Select(static p => p.TypeName + " " + p.Identifier + (p.DefaultValue is { } value ? " = " + value : string.Empty));

    private static void WriteParameterDocs(SourceWriter writer, ActorModel actor) => WriteParameterDocs(writer, Arguments(actor));

    private static void WriteParameterDocs(SourceWriter writer, IEnumerable<ParameterModel> arguments)
    {
        foreach (var parameter in arguments)
        {
            GeneratedCodeInfo.WriteDocElement(writer, "param", parameter.Documentation ?? $"The actor's <c>{GeneratedCodeInfo.EscapeXml(parameter.Name)}</c> argument.", $"name=\"{GeneratedCodeInfo.EscapeXml(parameter.Name)}\"");
        }
    }

    private static void WriteMessage(SourceWriter writer, ActorModel actor, bool isShapeOnly)
    {
        writer.WriteLine("/// <summary>");
        writer.WriteLine($"/// Builds a <c>{GeneratedCodeInfo.EscapeXml(actor.WireName)}</c> task without sending it, for example to send several");
        writer.WriteLine("/// in one batch with <see cref=\"global::TypedTasks.ITaskClient.SendManyAsync\"/>.");
        if (actor.HasResult)
        {
            writer.WriteLine("/// It can also start a workflow: <c>.Then(...)</c> passes its result to the next step.");
        }

        writer.WriteLine("/// </summary>");
        WriteParameterDocs(writer, actor);
        writer.WriteLine("/// <param name=\"options\">Per-send overrides: delay, queue, task id, headers.</param>");
        writer.WriteLine("/// <returns>");
        writer.WriteLine("/// The request, with its arguments encoded as a UTF-8 JSON object; the client resolves its id and times when it sends.");
        writer.WriteLine("/// </returns>");
        var parameters = Parameters(actor).Append("global::TypedTasks.SendOptions? options = null");
        var returnType = actor.HasResult ? $"global::TypedTasks.TaskRequest<{actor.ResultTypeName}>" : "global::TypedTasks.TaskRequest";
        if (isShapeOnly)
        {
            WriteThrowingMember(writer, $"public static {returnType} Message", parameters);
            return;
        }

        WriteSignature(writer, $"public static {returnType} Message", parameters, string.Empty);
        using (writer.OpenBlock())
        {
            WriteArgumentsObject(writer, Arguments(actor));
            writer.WriteLine();
            writer.WriteLine("return " + CreateRequest(actor, typed: actor.HasResult) + ";");
        }

        writer.WriteLine();
    }

    /// <summary>Writes <c>__arguments</c>, the UTF-8 JSON object of <paramref name="arguments"/>, keyed by wire name.</summary>
    private static void WriteArgumentsObject(SourceWriter writer, IEnumerable<ParameterModel> arguments)
    {
        writer.WriteLine("var __arguments = new global::System.Buffers.ArrayBufferWriter<byte>();");
        writer.WriteLine("using (var __writer = new global::System.Text.Json.Utf8JsonWriter(__arguments))");
        using (writer.OpenBlock())
        {
            writer.WriteLine("__writer.WriteStartObject();");
            foreach (var parameter in arguments)
            {
                WriteArgument(writer, parameter, parameter.Identifier);
            }

            writer.WriteLine("__writer.WriteEndObject();");
        }
    }

    /// <param name="isDefaultValue"><paramref name="value"/> is the parameter's default value expression, typed by
    /// the call's type argument (a literal <c>1</c> for a <c>byte</c> would not infer).</param>
    private static void WriteArgument(SourceWriter writer, ParameterModel parameter, string value, bool isDefaultValue = false)
    {
        var serialize = isDefaultValue ? $"{JsonSerializer}.Serialize<{parameter.TypeName}>" : $"{JsonSerializer}.Serialize";
        writer.WriteLine($"__writer.WritePropertyName({SymbolDisplay.FormatLiteral(parameter.Name, quote: true)}u8);");
        writer.WriteLine($"{serialize}(__writer, {value}, {ArgumentJsonField(parameter)});");
    }

    /// <summary>
    /// The call that turns <c>__arguments</c> and <c>options</c> into the request: actor-level defaults (status
    /// tracking, uniqueness by arguments) go into it, and <c>SendOptions</c> still decide. Typed when the request must
    /// read its result (<c>Message</c> of an actor with a result).
    /// </summary>
    private static string CreateRequest(ActorModel actor, bool typed)
    {
        var tracked = actor.Options.TrackStatus is not null;
        var create = actor.Options.UniqueForSeconds is null
            ? (tracked ? "CreateTracked" : "Create")
            : (tracked ? "CreateTrackedUnique" : "CreateUnique");
        var uniqueFor = actor.Options.UniqueForSeconds is null ? string.Empty : ", UniqueForSeconds";
        return typed
            ? $"global::TypedTasks.Generated.TaskMessages.{create}<{actor.ResultTypeName}>(Name, Queue, __arguments.WrittenMemory, options{uniqueFor}, s_resultJson)"
            : $"global::TypedTasks.Generated.TaskMessages.{create}(Name, Queue, __arguments.WrittenMemory, options{uniqueFor})";
    }

    /// <summary>
    /// The request of a workflow step (<c>With</c>, <c>Step</c>): tracked like <c>Message</c>'s, but never unique by
    /// arguments. Its arguments lack the ones other steps feed in, so a key derived from them would make different steps
    /// look equal; a step's id is derived from its workflow's instead, which is what keeps it from running twice.
    /// </summary>
    private static string CreateStepRequest(ActorModel actor) =>
        actor.Options.TrackStatus is not null
            ? "global::TypedTasks.Generated.TaskMessages.CreateTracked(Name, Queue, __arguments.WrittenMemory, options)"
            : "global::TypedTasks.Generated.TaskMessages.Create(Name, Queue, __arguments.WrittenMemory, options)";

    /// <summary>
    /// <c>With(...)</c>: the actor as the next step of a chain. Its first argument comes from the previous step, so the
    /// step's type names that argument's type, and <c>Then</c> accepts it only after a step of that result type.
    /// </summary>
    private static void WriteWith(SourceWriter writer, ActorModel actor, bool isShapeOnly)
    {
        var arguments = Arguments(actor).ToList();
        if (arguments.Count == 0)
        {
            return;
        }

        var first = arguments[0];
        var rest = arguments.Skip(1).ToList();
        var wire = GeneratedCodeInfo.EscapeXml(actor.WireName);
        var firstName = GeneratedCodeInfo.EscapeXml(first.Name);
        var stepType = actor.HasResult
            ? $"global::TypedTasks.WorkflowStep<{first.TypeName}, {actor.ResultTypeName}>"
            : $"global::TypedTasks.WorkflowStep<{first.TypeName}>";

        writer.WriteLine("/// <summary>");
        writer.WriteLine($"/// A workflow step of the <c>{wire}</c> actor whose first argument, <c>{firstName}</c>, is the result of the step");
        writer.WriteLine($"/// before it: <c>previous.Then(With(...))</c>. The other arguments are given here, encoded as <see cref=\"Message\"/> does.");
        writer.WriteLine("/// </summary>");
        WriteStepRemarks(writer, actor);
        WriteParameterDocs(writer, rest);
        writer.WriteLine("/// <param name=\"options\">Per-send overrides of the step's task: queue, delay, headers (not its id, which the workflow derives).</param>");
        writer.WriteLine("/// <returns>");
        writer.WriteLine($"/// The step. <c>Then</c> takes it only after a step whose result is the type of <c>{firstName}</c>; after any other,");
        writer.WriteLine("/// the call does not compile.");
        writer.WriteLine("/// </returns>");
        var parameters = Parameters(rest).Append("global::TypedTasks.SendOptions? options = null");
        if (isShapeOnly)
        {
            WriteThrowingMember(writer, $"public static {stepType} With", parameters);
            return;
        }

        WriteSignature(writer, $"public static {stepType} With", parameters, string.Empty);
        using (writer.OpenBlock())
        {
            WriteArgumentsObject(writer, rest);
            writer.WriteLine();
            writer.WriteLine("var __request = " + CreateStepRequest(actor) + ";");
            var input = SymbolDisplay.FormatLiteral(first.Name, quote: true);
            writer.WriteLine(actor.HasResult
                ? $"return global::TypedTasks.Generated.WorkflowSteps.With<{first.TypeName}, {actor.ResultTypeName}>(__request, {input}, s_resultJson);"
                : $"return global::TypedTasks.Generated.WorkflowSteps.With<{first.TypeName}>(__request, {input});");
        }

        writer.WriteLine();
    }

    /// <summary>
    /// <c>Step(...)</c>: the actor as a step of a graph. Each argument is a value or another step (a
    /// <c>WorkflowArg&lt;T&gt;</c> converts from both), so a step may depend on several earlier ones, typed per parameter.
    /// </summary>
    private static void WriteStep(SourceWriter writer, ActorModel actor, bool isShapeOnly)
    {
        var arguments = Arguments(actor).ToList();
        if (arguments.Count == 0)
        {
            return;
        }

        var wire = GeneratedCodeInfo.EscapeXml(actor.WireName);
        var workflowType = actor.HasResult ? $"global::TypedTasks.Workflow<{actor.ResultTypeName}>" : "global::TypedTasks.Workflow";

        writer.WriteLine("/// <summary>");
        writer.WriteLine($"/// A workflow step of the <c>{wire}</c> actor whose arguments are values or the results of other steps: pass a value,");
        writer.WriteLine("/// a request (<c>Tasks.X.Y.Message(...)</c>) or a workflow of the parameter's type. The step runs after every step it is");
        writer.WriteLine("/// given, receiving their results as those arguments; a step given twice, here or elsewhere in the workflow, runs once.");
        writer.WriteLine("/// </summary>");
        WriteStepRemarks(writer, actor);
        foreach (var parameter in arguments)
        {
            var name = GeneratedCodeInfo.EscapeXml(parameter.Name);
            var text = parameter.Documentation ?? $"The actor's <c>{name}</c> argument.";
            if (parameter.IsOptional)
            {
                text += "\n<see langword=\"default\"/> (or leaving it out) sends the parameter's default value.";
            }

            GeneratedCodeInfo.WriteDocElement(writer, "param", text, $"name=\"{name}\"");
        }

        writer.WriteLine("/// <param name=\"options\">Per-send overrides of the step's task: queue, delay, headers (not its id, which the workflow derives).</param>");
        writer.WriteLine("/// <returns>The step, as a workflow: send it, or pass it on to later steps.</returns>");
        writer.WriteLine("/// <exception cref=\"global::System.ArgumentException\">A parameter without a default value is given <see langword=\"default\"/>: neither a value nor a step.</exception>");
        var parameters = arguments
            .Select(static p => $"global::TypedTasks.WorkflowArg<{p.TypeName}> {p.Identifier}" + (p.IsOptional ? " = default" : string.Empty))
            .Append("global::TypedTasks.SendOptions? options = null");
        if (isShapeOnly)
        {
            WriteThrowingMember(writer, $"public static {workflowType} Step", parameters);
            return;
        }

        WriteSignature(writer, $"public static {workflowType} Step", parameters, string.Empty);
        using (writer.OpenBlock())
        {
            writer.WriteLine("var __inputs = new global::System.Collections.Generic.List<global::System.Collections.Generic.KeyValuePair<string, global::TypedTasks.Workflow>>();");
            writer.WriteLine("var __arguments = new global::System.Buffers.ArrayBufferWriter<byte>();");
            writer.WriteLine("using (var __writer = new global::System.Text.Json.Utf8JsonWriter(__arguments))");
            using (writer.OpenBlock())
            {
                writer.WriteLine("__writer.WriteStartObject();");
                foreach (var parameter in arguments)
                {
                    var wireName = SymbolDisplay.FormatLiteral(parameter.Name, quote: true);
                    var source = "__" + parameter.Name + "Source";
                    writer.WriteLine($"if ({parameter.Identifier}.Source is {{ }} {source})");
                    using (writer.OpenBlock())
                    {
                        writer.WriteLine($"__inputs.Add(new global::System.Collections.Generic.KeyValuePair<string, global::TypedTasks.Workflow>({wireName}, {source}));");
                    }

                    writer.WriteLine($"else if ({parameter.Identifier}.IsSpecified)");
                    using (writer.OpenBlock())
                    {
                        WriteArgument(writer, parameter, parameter.Identifier + ".Value");
                    }

                    writer.WriteLine("else");
                    using (writer.OpenBlock())
                    {
                        if (parameter.DefaultValue is { } defaultValue)
                        {
                            WriteArgument(writer, parameter, defaultValue, isDefaultValue: true);
                        }
                        else
                        {
                            var message = $"Step(...) of actor '{actor.WireName}' needs a value or a step for '{parameter.Name}'";
                            writer.WriteLine($"throw new global::System.ArgumentException({SymbolDisplay.FormatLiteral(message, quote: true)}, {wireName});");
                        }
                    }

                    writer.WriteLine();
                }

                writer.WriteLine("__writer.WriteEndObject();");
            }

            writer.WriteLine();
            writer.WriteLine("var __request = " + CreateStepRequest(actor) + ";");
            writer.WriteLine(actor.HasResult
                ? $"return global::TypedTasks.Generated.WorkflowSteps.Step<{actor.ResultTypeName}>(__request, __inputs, s_resultJson);"
                : "return global::TypedTasks.Generated.WorkflowSteps.Step(__request, __inputs);");
        }

        writer.WriteLine();
    }

    private static void WriteStepRemarks(SourceWriter writer, ActorModel actor)
    {
        if (actor.Options.UniqueForSeconds is not null)
        {
            writer.WriteLine("/// <remarks>Sends of this actor are unique by arguments, but a workflow step is not: its id, derived from the workflow's, keeps it");
            writer.WriteLine("/// from being enqueued twice.</remarks>");
        }
    }

    private static void WriteThrowingMember(SourceWriter writer, string head, IEnumerable<string> parameters)
    {
        WriteSignature(writer, head, parameters, " =>");
        writer.Indent();
        writer.WriteLine("throw NotGenerated();");
        writer.Unindent();
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
