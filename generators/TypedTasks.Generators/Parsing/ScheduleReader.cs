using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Cronos;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using TypedTasks.Generators.Diagnostics;
using TypedTasks.Generators.Helpers;
using TypedTasks.Generators.Model;

namespace TypedTasks.Generators.Parsing;

/// <summary>
/// Reads an actor's <c>[Schedule]</c> attributes. The cron expression is parsed with Cronos, the same library the
/// scheduler uses at run time, so what builds is what runs; the time zone is looked up in the build machine's
/// time zone database.
/// </summary>
internal static class ScheduleReader
{
    internal const string ScheduleAttribute = "TypedTasks.ScheduleAttribute";

    /// <summary>The longest schedule name (<c>TaskSchedule.MaxNameLength</c>): a tick's task id must stay within 128 characters.</summary>
    private const int MaxNameLength = 100;

    public static EquatableArray<ScheduleModel> Read(
        IMethodSymbol method, string wireName, string actorDisplay, string stubPath, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        var attributes = method.GetAttributes()
            .Where(static a => a.AttributeClass?.ToDisplayString() == ScheduleAttribute)
            .ToArray();
        if (attributes.Length == 0)
        {
            return EquatableArray<ScheduleModel>.Empty;
        }

        var schedules = new List<ScheduleModel>(attributes.Length);
        var names = new HashSet<string>(StringComparer.Ordinal);
        var reportedArguments = false;
        foreach (var attribute in attributes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var syntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
            var location = LocationInfo.From(syntax);
            if (attribute.ConstructorArguments.Length != 1 || attribute.ConstructorArguments[0].Value is not string cron)
            {
                // A compile error of its own (a missing or non-constant argument): nothing to add.
                continue;
            }

            var valid = true;
            if (!reportedArguments && method.Parameters.FirstOrDefault(static p => !p.HasExplicitDefaultValue && !TypeNames.IsCancellationToken(p.Type)) is { } required)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ScheduledActorNeedsArguments, location, actorDisplay, required.Name, stubPath));
                reportedArguments = true;
                valid = false;
            }

            var cronLocation = LocationInfo.From(syntax?.ArgumentList?.Arguments.FirstOrDefault(static a => a.NameEquals is null)?.Expression) ?? location;
            var fields = cron.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
            if (!cron.TrimStart().StartsWith("@", StringComparison.Ordinal) && fields is not (5 or 6))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidCron, cronLocation, cron, actorDisplay,
                    $"it has {fields} field(s), but cron has five ('minute hour day-of-month month day-of-week') or six (seconds first)"));
                valid = false;
            }
            else
            {
                try
                {
                    CronExpression.Parse(cron, fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
                }
                catch (CronFormatException exception)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidCron, cronLocation, cron, actorDisplay, Reason(exception)));
                    valid = false;
                }
            }

            var timeZone = Named(attribute, "TimeZone");
            if (!string.IsNullOrEmpty(timeZone) && !IsKnownTimeZone(timeZone!))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnknownTimeZone, NamedLocation(syntax, "TimeZone") ?? location, timeZone!, actorDisplay));
                valid = false;
            }

            var name = Named(attribute, "Name") ?? wireName;
            var nameLocation = NamedLocation(syntax, "Name") ?? location;
            if (!AttributeOptionsReader.IsValidName(name) || name.Length > MaxNameLength)
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidScheduleName, nameLocation, name, actorDisplay));
                valid = false;
            }
            else if (!names.Add(name))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateScheduleName, nameLocation, name, actorDisplay, actorDisplay));
                valid = false;
            }

            if (valid)
            {
                schedules.Add(new ScheduleModel(name, cron, string.IsNullOrEmpty(timeZone) ? null : timeZone));
            }
        }

        return schedules.ToEquatableArray();
    }

    /// <summary>
    /// The build machine's time zone database decides. A compiler on .NET Framework (Visual Studio's, on Windows)
    /// knows only Windows ids, so there an IANA-looking id is given the benefit of the doubt; the scheduler checks it
    /// again at start, on the machine that runs it.
    /// </summary>
    private static bool IsKnownTimeZone(string id)
    {
        if (string.Equals(id, "UTC", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        try
        {
            TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (Exception exception) when (exception is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal)
                && id.IndexOf('/') > 0;
        }
    }

    /// <summary>Cronos' reason without its generic preamble ("Hours: Value must be a number between 0 and 23 …").</summary>
    internal static string Reason(CronFormatException exception)
    {
        const string Preamble = "The given cron expression has an invalid format. ";
        var message = exception.Message.StartsWith(Preamble, StringComparison.Ordinal) ? exception.Message.Substring(Preamble.Length) : exception.Message;
        return message.Replace("'\0'", "the end").TrimEnd('.');
    }

    private static string? Named(AttributeData attribute, string name)
    {
        foreach (var pair in attribute.NamedArguments)
        {
            if (pair.Key == name && pair.Value.Kind != TypedConstantKind.Error)
            {
                return pair.Value.Value as string;
            }
        }

        return null;
    }

    private static LocationInfo? NamedLocation(AttributeSyntax? syntax, string name) =>
        LocationInfo.From(syntax?.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == name)?.Expression);
}
