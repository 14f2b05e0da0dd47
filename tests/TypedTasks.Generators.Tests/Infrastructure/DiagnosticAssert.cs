using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace TypedTasks.Generators.Tests.Infrastructure;

/// <summary>An expected diagnostic: id, exact message and the 1-based line and column it points at.</summary>
internal sealed record ExpectedDiagnostic(string Id, string Message, int Line, int Column);

/// <summary>Fails on any diagnostic a test did not expect, so that a new warning in generated code cannot slip by.</summary>
internal static class DiagnosticAssert
{
    public static void NoUnexpected(GeneratorOutcome outcome, params ExpectedDiagnostic[] expected)
    {
        var actual = outcome.AllDiagnostics.ToList();
        var failures = new List<string>();
        foreach (var diagnostic in expected)
        {
            var match = actual.FirstOrDefault(d => Matches(d, diagnostic));
            if (match is null)
            {
                failures.Add($"Expected but not reported: {diagnostic}");
            }
            else
            {
                actual.Remove(match);
            }
        }

        failures.AddRange(actual.Select(static d => "Not expected: " + Describe(d)));
        if (failures.Count > 0)
        {
            Assert.Fail(string.Join(Environment.NewLine, failures));
        }
    }

    public static string Describe(Diagnostic diagnostic)
    {
        var span = diagnostic.Location.GetLineSpan();
        return $"{diagnostic.Id} ({diagnostic.Severity}) at {span.Path}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}): {diagnostic.GetMessage(CultureInfo.InvariantCulture)}";
    }

    private static bool Matches(Diagnostic actual, ExpectedDiagnostic expected)
    {
        var start = actual.Location.GetLineSpan().StartLinePosition;
        return actual.Id == expected.Id
            && actual.GetMessage(CultureInfo.InvariantCulture) == expected.Message
            && start.Line + 1 == expected.Line
            && start.Character + 1 == expected.Column;
    }
}
