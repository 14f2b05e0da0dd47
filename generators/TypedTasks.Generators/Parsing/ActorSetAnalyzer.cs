using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using TypedTasks.Generators.Diagnostics;
using TypedTasks.Generators.Helpers;
using TypedTasks.Generators.Model;

namespace TypedTasks.Generators.Parsing;

/// <summary>The assembly-wide checks: wire names and stub paths must be unique. Works on models only.</summary>
internal static class ActorSetAnalyzer
{
    /// <summary>The one fact of a parse result the set needs; null for an actor without even a shape.</summary>
    public static RegistryEntry? ToEntry(ActorParseResult result, CancellationToken cancellationToken) =>
        result.Actor is { } actor
            ? new RegistryEntry(actor.Key, actor.GroupName, actor.StubName, actor.WireName, actor.MethodDisplayName, actor.TypeDocumentationId, result.IsValid, actor.IsPublic, actor.NameLocation,
                actor.Schedules.Select(static s => s.Name).ToEquatableArray())
            : null;

    public static ActorSetModel Analyze(ImmutableArray<RegistryEntry?> candidates, CancellationToken cancellationToken)
    {
        var entries = candidates.Where(static e => e is not null).Select(static e => e!)
            .OrderBy(static e => e.WireName, System.StringComparer.Ordinal)
            .ThenBy(static e => e.Key, System.StringComparer.Ordinal)
            .ToList();
        var diagnostics = new List<DiagnosticInfo>();
        var shapeOnly = new SortedSet<string>(System.StringComparer.Ordinal);
        var suppressed = new SortedSet<string>(System.StringComparer.Ordinal);

        // Two actors on one wire name cannot both be dispatched: neither is registered, both keep their stubs' shape.
        foreach (var group in entries.Where(static e => e.IsValid).GroupBy(static e => e.WireName, System.StringComparer.Ordinal).Where(static g => g.Count() > 1))
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var entry in group)
            {
                var other = group.First(e => e != entry);
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateWireName, entry.Location, entry.WireName, entry.ActorDisplayName, other.ActorDisplayName));
                shapeOnly.Add(entry.Key);
            }
        }

        // Two stubs on one path (overloads, or a method with and without the Async suffix) cannot both be generated.
        foreach (var group in entries.GroupBy(static e => e.StubPath, System.StringComparer.Ordinal).Where(static g => g.Count() > 1))
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var entry in group)
            {
                var other = group.First(e => e != entry);
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateStubName, entry.Location, entry.ActorDisplayName, other.ActorDisplayName, entry.StubPath));
                suppressed.Add(entry.Key);
            }
        }

        // Schedule names key the schedules of every process sharing a broker: two actors may not declare one.
        var scheduleOwners = entries
            .Where(static e => e.IsValid)
            .SelectMany(static e => e.ScheduleNames.Select(name => (Name: name, Entry: e)))
            .GroupBy(static p => p.Name, System.StringComparer.Ordinal)
            .Where(static g => g.Select(static p => p.Entry.Key).Distinct().Count() > 1);
        foreach (var group in scheduleOwners)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var (name, entry) in group)
            {
                var other = group.First(p => p.Entry.Key != entry.Key).Entry;
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateScheduleName, entry.Location, name, entry.ActorDisplayName, other.ActorDisplayName));
                shapeOnly.Add(entry.Key);
            }
        }

        var registered = entries
            .Where(e => e.IsValid && !shapeOnly.Contains(e.Key) && !suppressed.Contains(e.Key))
            .Select(static e => new RegistryLine(e.GroupName, e.StubName));
        var groups = entries
            .Where(e => !suppressed.Contains(e.Key))
            .GroupBy(static e => e.GroupName, System.StringComparer.Ordinal)
            .OrderBy(static g => g.Key, System.StringComparer.Ordinal)
            .Select(static g => new GroupModel(
                g.Key,
                g.Select(static e => e.TypeDocumentationId).Distinct().OrderBy(static id => id, System.StringComparer.Ordinal).ToEquatableArray(),
                g.Any(static e => e.IsPublic)));

        return new ActorSetModel(
            new RegistrySetModel(registered.ToEquatableArray(), groups.ToEquatableArray(), HasActors: candidates.Length > 0),
            shapeOnly.ToEquatableArray(),
            suppressed.ToEquatableArray(),
            diagnostics.ToEquatableArray());
    }
}
