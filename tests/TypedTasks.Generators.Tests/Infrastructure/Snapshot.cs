using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;

namespace TypedTasks.Generators.Tests.Infrastructure;

/// <summary>
/// Compares generated sources with checked-in <c>Snapshots/&lt;name&gt;/&lt;hint&gt;.verified.cs</c> files. On a
/// mismatch it writes <c>.received.cs</c> beside them (git-ignored) and fails. Setting
/// <c>TYPEDTASKS_ACCEPT_SNAPSHOTS=1</c> accepts the received output instead, except on CI, where a snapshot must never
/// be rewritten by the run that checks it.
/// </summary>
internal static partial class Snapshot
{
    private const string AcceptVariable = "TYPEDTASKS_ACCEPT_SNAPSHOTS";

    public static void Verify(string name, IEnumerable<(string HintName, string Source)> sources, [CallerFilePath] string callerPath = "")
    {
        var accept = Environment.GetEnvironmentVariable(AcceptVariable) == "1";
        if (accept && string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"{AcceptVariable} is refused when CI=true: accept snapshots locally and commit them.");
        }

        var directory = Path.Combine(GeneratorHarness.FindProjectDirectory(callerPath), "Snapshots", name);
        Directory.CreateDirectory(directory);
        var failures = new List<string>();
        var produced = new HashSet<string>(StringComparer.Ordinal);

        foreach (var (hintName, source) in sources.OrderBy(static s => s.HintName, StringComparer.Ordinal))
        {
            var baseName = Path.GetFileNameWithoutExtension(hintName);
            produced.Add(baseName);
            var verifiedPath = Path.Combine(directory, baseName + ".verified.cs");
            var receivedPath = Path.Combine(directory, baseName + ".received.cs");
            var received = Scrub(source);
            var verified = File.Exists(verifiedPath) ? Normalize(File.ReadAllText(verifiedPath)) : null;
            if (verified == received)
            {
                File.Delete(receivedPath);
                continue;
            }

            if (accept)
            {
                File.WriteAllText(verifiedPath, received);
                File.Delete(receivedPath);
                continue;
            }

            File.WriteAllText(receivedPath, received);
            failures.Add(verified is null
                ? $"{baseName}: no verified snapshot; received written to {receivedPath}"
                : $"{baseName}: differs from the verified snapshot ({FirstDifference(verified, received)}); received written to {receivedPath}");
        }

        foreach (var stale in Directory.GetFiles(directory, "*.verified.cs"))
        {
            var baseName = Path.GetFileName(stale)[..^".verified.cs".Length];
            if (produced.Contains(baseName))
            {
                continue;
            }

            if (accept)
            {
                File.Delete(stale);
            }
            else
            {
                failures.Add($"{baseName}: verified snapshot exists but nothing was generated for it");
            }
        }

        if (failures.Count > 0)
        {
            Assert.Fail($"Snapshot '{name}' does not match. Review the .received.cs files, then accept with {AcceptVariable}=1." +
                Environment.NewLine + string.Join(Environment.NewLine, failures));
        }
    }

    /// <summary>The generator's version changes with every release; the snapshot should not.</summary>
    public static string Scrub(string source) =>
        VersionPattern().Replace(Normalize(source), "GeneratedCode(\"TypedTasks.Generators\", \"{scrubbed}\")");

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);

    private static string FirstDifference(string expected, string actual)
    {
        var expectedLines = expected.Split('\n');
        var actualLines = actual.Split('\n');
        for (var i = 0; i < Math.Max(expectedLines.Length, actualLines.Length); i++)
        {
            var left = i < expectedLines.Length ? expectedLines[i] : "<end>";
            var right = i < actualLines.Length ? actualLines[i] : "<end>";
            if (left != right)
            {
                return $"line {i + 1}: expected `{left.Trim()}`, got `{right.Trim()}`";
            }
        }

        return "line endings";
    }

    [GeneratedRegex("GeneratedCode\\(\"TypedTasks\\.Generators\", \"[^\"]*\"\\)")]
    private static partial Regex VersionPattern();
}
