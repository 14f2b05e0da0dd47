using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using TypedTasks.Generators.Diagnostics;
using TypedTasks.Generators.Helpers;
using TypedTasks.Generators.Model;

namespace TypedTasks.Generators.Parsing;

/// <summary>Turns one <c>[Actor]</c> method into an <see cref="ActorModel"/> or into the diagnostics explaining why not.</summary>
internal static class ActorParser
{
    /// <summary>Parameter names of the generated stub methods themselves.</summary>
    private static readonly string[] s_reservedParameterNames = ["options", "client", "cancellationToken"];

    public static ActorParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken) =>
        ParseSafely(context, cancellationToken, ParseCore);

    /// <summary>
    /// Runs <paramref name="parse"/> and turns an unexpected exception into TT9999 on the method, so that one
    /// generator bug costs one actor, not the user's build (an exception escaping a generator disables all of it).
    /// </summary>
    internal static ActorParseResult ParseSafely(
        GeneratorAttributeSyntaxContext context,
        CancellationToken cancellationToken,
        Func<GeneratorAttributeSyntaxContext, CancellationToken, ActorParseResult> parse)
    {
        try
        {
            return parse(context, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            var location = context.TargetNode is MethodDeclarationSyntax method
                ? LocationInfo.From(method.Identifier)
                : LocationInfo.From(context.TargetNode);
            var name = context.TargetSymbol is IMethodSymbol symbol ? TypeNames.ActorDisplay(symbol) : context.TargetSymbol.Name;
            return new ActorParseResult(null, new EquatableArray<DiagnosticInfo>(
            [
                DiagnosticInfo.Create(DiagnosticDescriptors.InternalFailure, location, name, exception.GetType().Name + ": " + exception.Message),
            ]));
        }
    }

    private static ActorParseResult ParseCore(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var method = (IMethodSymbol)context.TargetSymbol;
        var syntax = (MethodDeclarationSyntax)context.TargetNode;
        var diagnostics = new List<DiagnosticInfo>();
        var nameLocation = LocationInfo.From(syntax.Identifier);
        var actorDisplay = TypeNames.ActorDisplay(method);

        if (Accessibility.Reason(method) is { } inaccessible)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InaccessibleActor, nameLocation, actorDisplay, inaccessible));
        }

        if (GenericOrigin(method) is { } generic)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.GenericActor, nameLocation, actorDisplay, generic));
        }

        if (method.IsAsync && method.ReturnsVoid)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.AsyncVoidActor, nameLocation, actorDisplay));
        }

        var groupName = StubNames.Group(method);
        var stubName = StubNames.Stub(method.Name, groupName);
        if (StubNames.Reserved(groupName, stubName) is { } reserved)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ReservedStubName, nameLocation, actorDisplay, groupName + "." + stubName, reserved));
        }

        // Past these, the signature still makes sense in generated code: the actor keeps a shape (throwing stubs).
        var hasShape = diagnostics.Count == 0;

        var documentation = DocumentationReader.Read(method, syntax, cancellationToken);
        var parameters = ReadParameters(method, syntax, actorDisplay, documentation, diagnostics, cancellationToken, out var hasErrorTypes);

        // A parameter named like one of the stub's own would clash in the shape too.
        hasShape &= !diagnostics.Any(static d => d.Descriptor == DiagnosticDescriptors.ReservedParameterName);
        var (returnKind, resultType) = ReadReturn(method, syntax, actorDisplay, diagnostics);
        hasErrorTypes |= resultType is not null && TypeNames.ContainsErrorType(resultType);
        var instance = method.IsStatic ? null : ReadInstanceFactory(method, nameLocation, actorDisplay, diagnostics);
        var attribute = AttributeOptionsReader.Read(context.Attributes[0], method, nameLocation, actorDisplay, diagnostics, cancellationToken);
        var schedules = ScheduleReader.Read(method, attribute.WireName, actorDisplay, groupName + "." + stubName, diagnostics, cancellationToken);

        if (hasErrorTypes && diagnostics.Count == 0)
        {
            // The compiler already reports the unknown type; anything generated around it would only add errors.
            return new ActorParseResult(null, EquatableArray<DiagnosticInfo>.Empty);
        }

        if (!hasShape || hasErrorTypes)
        {
            return new ActorParseResult(null, diagnostics.ToEquatableArray());
        }

        var model = new ActorModel(
            Key: method.GetDocumentationCommentId() ?? actorDisplay,
            GroupName: TypeNames.Identifier(groupName),
            StubName: TypeNames.Identifier(stubName),
            WireName: attribute.WireName,
            Queue: attribute.Queue,
            ContainingTypeName: TypeNames.MetadataKey(method.ContainingType),
            MethodName: TypeNames.Identifier(method.Name),
            MethodDisplayName: actorDisplay,
            MethodDocumentationId: method.GetDocumentationCommentId() ?? string.Empty,
            TypeDocumentationId: method.ContainingType.GetDocumentationCommentId() ?? string.Empty,
            IsPublic: Accessibility.IsPublic(method) && method.Parameters.All(static p => Accessibility.IsPublic(p.Type)) && (resultType is null || Accessibility.IsPublic(resultType)),
            Instance: instance,
            Parameters: parameters,
            ReturnKind: returnKind,
            ResultTypeName: resultType is null ? null : TypeNames.Declaration(resultType),
            ResultRequest: resultType is null ? null : CreateJsonRequest(resultType, LocationInfo.From(syntax.ReturnType)),
            ResultJson: null,
            Options: attribute.Options,
            Schedules: schedules,
            Summary: documentation.Summary,
            Remarks: documentation.Remarks,
            NameLocation: nameLocation);
        return new ActorParseResult(model, diagnostics.ToEquatableArray());
    }

    private static string? GenericOrigin(IMethodSymbol method)
    {
        if (method.IsGenericMethod)
        {
            return method.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat);
        }

        for (var type = method.ContainingType; type is not null; type = type.ContainingType)
        {
            if (type.IsGenericType)
            {
                return type.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat);
            }
        }

        return null;
    }

    private static EquatableArray<ParameterModel> ReadParameters(
        IMethodSymbol method, MethodDeclarationSyntax syntax, string actorDisplay, ActorDocumentation documentation,
        List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken, out bool hasErrorTypes)
    {
        hasErrorTypes = false;
        var parameters = new List<ParameterModel>(method.Parameters.Length);
        string? cancellationTokenName = null;
        for (var i = 0; i < method.Parameters.Length; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var parameter = method.Parameters[i];
            var parameterSyntax = i < syntax.ParameterList.Parameters.Count ? syntax.ParameterList.Parameters[i] : null;
            var location = LocationInfo.From(parameterSyntax?.Identifier ?? default) ?? LocationInfo.From(syntax.Identifier);
            hasErrorTypes |= TypeNames.ContainsErrorType(parameter.Type);

            var modifier = parameter.IsParams ? "params" : parameter.RefKind switch
            {
                RefKind.Ref => "ref",
                RefKind.Out => "out",
                RefKind.In => "in",
                RefKind.None => null,
                _ => "ref readonly",
            };
            if (modifier is not null)
            {
                var modifierToken = parameterSyntax?.Modifiers.FirstOrDefault(m => m.Text == modifier || m.Text == "ref");
                var modifierLocation = modifierToken is { } token && token != default ? LocationInfo.From(token) : location;
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedParameter, modifierLocation, parameter.Name, actorDisplay, modifier));
                continue;
            }

            if (TypeNames.IsCancellationToken(parameter.Type))
            {
                if (cancellationTokenName is not null)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SeveralCancellationTokens, location, actorDisplay, cancellationTokenName, parameter.Name));
                }

                cancellationTokenName ??= parameter.Name;
                parameters.Add(new ParameterModel(
                    parameter.Name, TypeNames.Identifier(parameter.Name), TypeNames.Declaration(parameter.Type),
                    IsCancellationToken: true, DefaultValue: null, RejectsNull: false, Json: null, JsonRequest: null, Documentation: null));
                continue;
            }

            if (TypeNames.IsTaskProgress(parameter.Type))
            {
                // Like the token: the worker passes the attempt's reporter; never on the wire, not in the stub.
                parameters.Add(new ParameterModel(
                    parameter.Name, TypeNames.Identifier(parameter.Name), TypeNames.Declaration(parameter.Type),
                    IsCancellationToken: false, DefaultValue: null, RejectsNull: false, Json: null, JsonRequest: null, Documentation: null,
                    IsProgress: true));
                continue;
            }

            if (Array.IndexOf(s_reservedParameterNames, parameter.Name) >= 0)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ReservedParameterName, location, parameter.Name, actorDisplay));
            }

            documentation.Parameters.TryGetValue(parameter.Name, out var parameterDocumentation);
            parameters.Add(new ParameterModel(
                parameter.Name,
                TypeNames.Identifier(parameter.Name),
                TypeNames.Declaration(parameter.Type),
                IsCancellationToken: false,
                DefaultValue: DefaultValueFormatter.Format(parameter),
                RejectsNull: parameter.Type.IsReferenceType && parameter.Type.NullableAnnotation == NullableAnnotation.NotAnnotated,
                Json: null,
                JsonRequest: CreateJsonRequest(parameter.Type, LocationInfo.From(parameterSyntax?.Type) ?? location),
                Documentation: parameterDocumentation));
        }

        return parameters.ToEquatableArray();
    }

    private static (ReturnKind Kind, ITypeSymbol? ResultType) ReadReturn(
        IMethodSymbol method, MethodDeclarationSyntax syntax, string actorDisplay, List<DiagnosticInfo> diagnostics)
    {
        var returnType = method.ReturnType;
        var location = LocationInfo.From(syntax.ReturnType);
        if (method.ReturnsVoid)
        {
            return (ReturnKind.Void, null);
        }

        if (method.ReturnsByRef || method.ReturnsByRefReadonly || IsUnsupportedResult(returnType))
        {
            ReportReturn();
            return (ReturnKind.Void, null);
        }

        if (returnType is INamedTypeSymbol named && IsTasksNamespace(named.ContainingNamespace))
        {
            switch (named.MetadataName)
            {
                case "Task":
                    return (ReturnKind.Task, null);
                case "ValueTask":
                    return (ReturnKind.ValueTask, null);
                case "Task`1" or "ValueTask`1":
                    var result = named.TypeArguments[0];
                    if (IsUnsupportedResult(result) || result is INamedTypeSymbol { MetadataName: "Task" or "ValueTask" or "Task`1" or "ValueTask`1" } inner && IsTasksNamespace(inner.ContainingNamespace))
                    {
                        ReportReturn();
                        return (ReturnKind.Void, null);
                    }

                    return (named.MetadataName == "Task`1" ? ReturnKind.TaskOfT : ReturnKind.ValueTaskOfT, result);
            }
        }

        return (ReturnKind.Value, returnType);

        void ReportReturn() => diagnostics.Add(DiagnosticInfo.Create(
            DiagnosticDescriptors.UnsupportedReturnType, location, actorDisplay, returnType.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat)));
    }

    /// <summary>Results that are streams, pointers or stack-only can never be written as one JSON value.</summary>
    private static bool IsUnsupportedResult(ITypeSymbol type) =>
        type.IsRefLikeType
        || type.TypeKind is TypeKind.Pointer or TypeKind.FunctionPointer
        || type is INamedTypeSymbol { MetadataName: "IAsyncEnumerable`1" or "IAsyncEnumerator`1", ContainingNamespace: { Name: "Generic", ContainingNamespace.Name: "Collections" } };

    private static bool IsTasksNamespace(INamespaceSymbol? ns) =>
        ns is { Name: "Tasks", ContainingNamespace: { Name: "Threading", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } };

    private static InstanceFactoryModel? ReadInstanceFactory(
        IMethodSymbol method, LocationInfo? location, string actorDisplay, List<DiagnosticInfo> diagnostics)
    {
        var type = method.ContainingType;
        var typeDisplay = type.ToDisplayString(SymbolDisplayFormat.CSharpErrorMessageFormat);
        string? reason = null;
        IMethodSymbol? constructor = null;
        if (type.TypeKind == TypeKind.Interface)
        {
            reason = "it is an interface; make the actor static, or declare it on a class";
        }
        else if (type.IsAbstract)
        {
            reason = "it is abstract; make the actor static, or declare it on a concrete class";
        }
        else
        {
            var constructors = type.InstanceConstructors
                .Where(static c => c.DeclaredAccessibility is Microsoft.CodeAnalysis.Accessibility.Public or Microsoft.CodeAnalysis.Accessibility.Internal or Microsoft.CodeAnalysis.Accessibility.ProtectedOrInternal)
                .ToArray();
            if (constructors.Length == 0)
            {
                reason = "it has no public or internal constructor";
            }
            else if (constructors.Length > 1)
            {
                var list = string.Join(", ", constructors.Select(static c => "'" + c.ToDisplayString(SymbolDisplayFormat.CSharpShortErrorMessageFormat) + "'"));
                reason = $"it has several public or internal constructors ({list}), so keep one of them";
            }
            else
            {
                constructor = constructors[0];
                var unsupported = constructor.Parameters.FirstOrDefault(static p => p.RefKind != RefKind.None || p.IsParams);
                if (unsupported is not null)
                {
                    reason = $"its constructor parameter '{unsupported.Name}' is 'ref', 'out', 'in' or 'params'";
                }
            }
        }

        if (reason is not null || constructor is null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnconstructibleActorType, location, actorDisplay, typeDisplay, reason ?? "it has no usable constructor"));
            return null;
        }

        var services = constructor.Parameters.Select(static p => new ServiceParameterModel(
            p.Name, TypeNames.MetadataKey(p.Type), TypeNames.Display(p.Type), DefaultValueFormatter.Format(p)));
        return new InstanceFactoryModel(TypeNames.MetadataKey(type), typeDisplay, services.ToEquatableArray());
    }

    private static JsonTypeRequest CreateJsonRequest(ITypeSymbol type, LocationInfo? location)
    {
        var key = TypeNames.MetadataKey(type);
        string? enumName = null;
        var isNullableEnum = false;
        if (type.TypeKind == TypeKind.Enum)
        {
            enumName = key;
        }
        else if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable
            && nullable.TypeArguments[0].TypeKind == TypeKind.Enum)
        {
            enumName = TypeNames.MetadataKey(nullable.TypeArguments[0]);
            isNullableEnum = true;
        }

        return new JsonTypeRequest(TypeNames.Declaration(type), key, TypeNames.Display(type), BuiltInJsonTypes.Contains(key), enumName, isNullableEnum, location);
    }
}
