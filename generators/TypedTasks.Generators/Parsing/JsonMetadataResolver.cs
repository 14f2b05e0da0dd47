using System.Collections.Generic;
using System.Linq;
using System.Threading;
using TypedTasks.Generators.Diagnostics;
using TypedTasks.Generators.Helpers;
using TypedTasks.Generators.Model;

namespace TypedTasks.Generators.Parsing;

/// <summary>
/// Decides where each parameter's and result's <c>JsonTypeInfo&lt;T&gt;</c> comes from: a user context, then the
/// built-in context, then (enums only) a value converter; anything else is TT0101. Works on models only.
/// </summary>
internal static class JsonMetadataResolver
{
    public static ActorParseResult Resolve((ActorParseResult Parsed, JsonContextCatalog Contexts) input, CancellationToken cancellationToken)
    {
        var (parsed, contexts) = input;
        if (!parsed.IsValid || parsed.Actor is not { } actor)
        {
            return parsed;
        }

        var diagnostics = new List<DiagnosticInfo>();
        var parameters = new List<ParameterModel>(actor.Parameters.Count);
        foreach (var parameter in actor.Parameters)
        {
            cancellationToken.ThrowIfCancellationRequested();
            parameters.Add(parameter.JsonRequest is { } request ? parameter with { Json = Resolve(request, contexts, diagnostics) } : parameter);
        }

        var resultJson = actor.ResultRequest is { } resultRequest ? Resolve(resultRequest, contexts, diagnostics) : null;

        // With metadata missing, the actor keeps its shape: the stub's signatures compile, its bodies throw.
        return new ActorParseResult(actor with { Parameters = parameters.ToEquatableArray(), ResultJson = resultJson }, diagnostics.ToEquatableArray());
    }

    private static JsonMetadataSource? Resolve(JsonTypeRequest request, JsonContextCatalog contexts, List<DiagnosticInfo> diagnostics)
    {
        foreach (var context in contexts.Contexts)
        {
            if (context.MetadataKeys.Contains(request.MetadataKey))
            {
                return new JsonMetadataSource(JsonMetadataKind.UserContext, request.TypeName, request.MetadataKey, context.TypeName);
            }
        }

        if (request.IsBuiltIn)
        {
            return new JsonMetadataSource(JsonMetadataKind.BuiltInContext, request.TypeName, request.MetadataKey, BuiltInJsonTypes.ContextTypeName);
        }

        if (request.EnumTypeName is { } enumName)
        {
            return new JsonMetadataSource(request.IsNullableEnum ? JsonMetadataKind.NullableEnum : JsonMetadataKind.Enum, request.TypeName, request.MetadataKey, enumName);
        }

        var attribute = $"[JsonSerializable(typeof({request.MetadataKey}))]";
        var fix = contexts.Contexts.IsEmpty
            ? $"declare a JsonSerializerContext in this assembly and add {attribute} to it"
            : $"add {attribute} to a JsonSerializerContext in this assembly, such as '{contexts.Contexts[0].TypeName.Replace("global::", string.Empty)}'";
        if (!diagnostics.Any(d => d.MessageArguments[0] == request.DisplayName))
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.MissingJsonMetadata, request.Location, request.DisplayName, fix));
        }

        return null;
    }
}
