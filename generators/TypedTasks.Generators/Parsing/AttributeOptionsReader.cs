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

/// <summary>Reads and validates the named arguments of one <c>[Actor]</c> attribute.</summary>
internal sealed class AttributeOptionsReader
{
    public const string DefaultQueue = "default";

    private readonly AttributeData _attribute;
    private readonly AttributeSyntax? _syntax;
    private readonly string _actorDisplay;
    private readonly List<DiagnosticInfo> _diagnostics;

    private AttributeOptionsReader(AttributeData attribute, AttributeSyntax? syntax, string actorDisplay, List<DiagnosticInfo> diagnostics)
    {
        _attribute = attribute;
        _syntax = syntax;
        _actorDisplay = actorDisplay;
        _diagnostics = diagnostics;
    }

    public string WireName { get; private set; } = string.Empty;

    public string Queue { get; private set; } = DefaultQueue;

    public ActorOptionsModel Options { get; private set; } = null!;

    public static AttributeOptionsReader Read(
        AttributeData attribute, IMethodSymbol method, LocationInfo? methodLocation, string actorDisplay,
        List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        var syntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
        var reader = new AttributeOptionsReader(attribute, syntax, actorDisplay, diagnostics);
        reader.ReadAll(method, methodLocation);
        return reader;
    }

    private void ReadAll(IMethodSymbol method, LocationInfo? methodLocation)
    {
        WireName = ReadName("Name") ?? ValidateDefaultName(method.Name, methodLocation);
        Queue = ReadName("Queue") ?? DefaultQueue;

        string? maxRetries = null;
        if (TryGet("MaxRetries", out int retries))
        {
            if (retries < 0)
            {
                Report(DiagnosticDescriptors.NegativeMaxRetries, "MaxRetries", _actorDisplay, retries.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            maxRetries = retries.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var minBackoff = ReadSeconds("MinBackoffSeconds");
        var maxBackoff = ReadSeconds("MaxBackoffSeconds");
        if (minBackoff is { } min && maxBackoff is { } max && min > max)
        {
            Report(DiagnosticDescriptors.InvertedBackoff, "MinBackoffSeconds", _actorDisplay,
                DefaultValueFormatter.FormatSeconds(min), DefaultValueFormatter.FormatSeconds(max));
        }

        var timeLimit = ReadSeconds("TimeLimitSeconds");
        var maxAge = ReadSeconds("MaxAgeSeconds");
        string? priority = TryGet("Priority", out int priorityValue) ? priorityValue.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
        string? storeResults = TryGet("StoreResults", out bool store) ? (store ? "true" : "false") : null;
        var uniqueFor = ReadSeconds("UniqueForSeconds");
        var unique = (TryGet("Unique", out bool uniqueValue) && uniqueValue) || uniqueFor is not null;

        Options = new ActorOptionsModel(
            maxRetries,
            Seconds(minBackoff),
            Seconds(maxBackoff),
            Seconds(timeLimit),
            Seconds(maxAge),
            priority,
            storeResults,
            ReadDoNotRetryOn(),
            ReadTraceParenting(),
            TryGet("TrackStatus", out bool track) && track ? "true" : null,
            unique ? Seconds(uniqueFor) ?? "0" : null);
    }

    /// <summary>An enum argument arrives as its underlying value; Auto (0) is the same as leaving it unset.</summary>
    private string? ReadTraceParenting()
    {
        if (!TryGet("TraceParenting", out int value) || value == 0)
        {
            return null;
        }

        return value switch
        {
            1 => "global::TypedTasks.TraceParenting.Child",
            2 => "global::TypedTasks.TraceParenting.Link",
            _ => "(global::TypedTasks.TraceParenting)" + value.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    private static string? Seconds(double? value) => value is { } seconds ? DefaultValueFormatter.FormatSeconds(seconds) : null;

    private string? ReadName(string argument)
    {
        if (!TryGet(argument, out string? value) || value is null)
        {
            return null;
        }

        if (string.IsNullOrWhiteSpace(value))
        {
            Report(DiagnosticDescriptors.EmptyName, argument, argument, _actorDisplay);
            return value;
        }

        if (!IsValidName(value))
        {
            Report(DiagnosticDescriptors.InvalidNameCharacters, argument, argument, value, _actorDisplay);
        }

        return value;
    }

    private string ValidateDefaultName(string methodName, LocationInfo? methodLocation)
    {
        if (!IsValidName(methodName))
        {
            _diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidNameCharacters, methodLocation, "Name", methodName, _actorDisplay));
        }

        return methodName;
    }

    /// <summary>Wire names and queues end up in Redis keys and in other languages' producers: keep them plain.</summary>
    public static bool IsValidName(string name) =>
        name.Length > 0 && name.All(static c => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or (>= '0' and <= '9') or '_' or '.' or ':' or '-');

    private double? ReadSeconds(string argument)
    {
        if (!TryGet(argument, out double seconds))
        {
            return null;
        }

        if (!(seconds > 0) || double.IsInfinity(seconds))
        {
            Report(DiagnosticDescriptors.InvalidDuration, argument, argument, _actorDisplay, DefaultValueFormatter.FormatSeconds(seconds));
        }

        return seconds;
    }

    private EquatableArray<string> ReadDoNotRetryOn()
    {
        var argument = _attribute.NamedArguments.FirstOrDefault(static pair => pair.Key == "DoNotRetryOn");
        if (argument.Key is null || argument.Value.Kind != TypedConstantKind.Array || argument.Value.IsNull)
        {
            return EquatableArray<string>.Empty;
        }

        var types = new List<string>();
        foreach (var element in argument.Value.Values)
        {
            if (element.Value is not ITypeSymbol type)
            {
                Report(DiagnosticDescriptors.InvalidDoNotRetryOn, "DoNotRetryOn", _actorDisplay, "null");
                continue;
            }

            if (type.TypeKind == TypeKind.Error)
            {
                continue;
            }

            if (!IsUsableExceptionType(type))
            {
                Report(DiagnosticDescriptors.InvalidDoNotRetryOn, "DoNotRetryOn", _actorDisplay, TypeNames.Display(type));
                continue;
            }

            var name = TypeNames.MetadataKey(type);
            if (!types.Contains(name))
            {
                types.Add(name);
            }
        }

        return new EquatableArray<string>(types.ToArray());
    }

    private static bool IsUsableExceptionType(ITypeSymbol type)
    {
        if (type is not INamedTypeSymbol named || named.IsUnboundGenericType || named.IsGenericType || !Accessibility.IsAccessible(named))
        {
            return false;
        }

        for (var current = named; current is not null; current = current.BaseType)
        {
            if (current is { Name: "Exception", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } })
            {
                return true;
            }
        }

        return false;
    }

    private bool TryGet<T>(string argument, out T value)
    {
        foreach (var pair in _attribute.NamedArguments)
        {
            if (pair.Key == argument && pair.Value.Kind != TypedConstantKind.Error && pair.Value.Value is T typed)
            {
                value = typed;
                return true;
            }

            if (pair.Key == argument && pair.Value.Kind != TypedConstantKind.Error && pair.Value.IsNull && default(T) is null)
            {
                value = default!;
                return true;
            }
        }

        value = default!;
        return false;
    }

    private void Report(DiagnosticDescriptor descriptor, string argument, params string[] messageArguments) =>
        _diagnostics.Add(DiagnosticInfo.Create(descriptor, ArgumentLocation(argument), messageArguments));

    /// <summary>The named argument's value, so the squiggle lands on what must change.</summary>
    private LocationInfo? ArgumentLocation(string argument)
    {
        var syntax = _syntax?.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == argument);
        return LocationInfo.From(syntax?.Expression) ?? LocationInfo.From(_syntax);
    }
}
