using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using TypedTasks.Generators.Diagnostics;
using TypedTasks.Generators.Helpers;
using TypedTasks.Generators.Model;

namespace TypedTasks.Generators.Parsing;

/// <summary>The assembly-wide checks: wire names and stub names must be unique. Works on models only.</summary>
internal static class ActorSetAnalyzer
{
    /// <summary>The one fact of a parse result the set needs; null for an invalid actor.</summary>
    public static RegistryEntry? ToEntry(ActorParseResult result, CancellationToken cancellationToken) =>
        result.Actor is { } actor ? new RegistryEntry(actor.Key, actor.StubName, actor.WireName, actor.MethodDisplayName, actor.NameLocation) : null;

    public static ActorSetModel Analyze(ImmutableArray<RegistryEntry?> candidates, CancellationToken cancellationToken)
    {
        var entries = candidates.Where(static e => e is not null).Select(static e => e!)
            .OrderBy(static e => e.WireName, System.StringComparer.Ordinal)
            .ThenBy(static e => e.Key, System.StringComparer.Ordinal)
            .ToList();
        var diagnostics = new List<DiagnosticInfo>();
        var excluded = new SortedSet<string>(System.StringComparer.Ordinal);

        foreach (var group in entries.GroupBy(static e => e.WireName, System.StringComparer.Ordinal).Where(static g => g.Count() > 1))
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var entry in group)
            {
                var other = group.First(e => e != entry);
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateWireName, entry.Location, entry.WireName, entry.ActorDisplayName, other.ActorDisplayName));
                excluded.Add(entry.Key);
            }
        }

        foreach (var group in entries.GroupBy(static e => e.StubName, System.StringComparer.Ordinal).Where(static g => g.Count() > 1))
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var entry in group)
            {
                var other = group.First(e => e != entry);
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateStubName, entry.Location, entry.ActorDisplayName, other.ActorDisplayName, entry.StubName));
                excluded.Add(entry.Key);
            }
        }

        return new ActorSetModel(
            entries.Where(e => !excluded.Contains(e.Key)).ToEquatableArray(),
            excluded.ToEquatableArray(),
            diagnostics.ToEquatableArray(),
            HasActors: candidates.Length > 0);
    }
}
