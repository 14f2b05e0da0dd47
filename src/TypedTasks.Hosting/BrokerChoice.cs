using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using TypedTasks.Hosting.Brokers;

namespace TypedTasks.Hosting;

/// <summary>Decides which broker a host uses, or refuses to decide with a message that names the setting.</summary>
/// <remarks>
/// The in-memory broker is never a silent fallback outside Development: a production host whose Redis setting was
/// lost (a typo in an environment variable is enough) would otherwise accept tasks that no worker ever sees. For the
/// same reason a key of the <c>TypedTasks</c> section that no wired-in transport reads (<c>TypedTasks:Redis</c> in a
/// host that never called <c>UseRedis()</c>) fails the start instead of being ignored.
/// </remarks>
internal static class BrokerChoice
{
    /// <summary>The keys of the section hosting itself reads.</summary>
    private static readonly string[] s_hostingKeys = ["Broker", "Worker", "Scheduler", "TrackStatus"];

    /// <summary>The chosen transport, or <see langword="null"/> for the in-memory broker.</summary>
    public static BrokerTransport? Choose(
        TypedTasksOptions options,
        IReadOnlyList<BrokerTransport> transports,
        Func<BrokerTransport, bool> isConfigured,
        TypedTasksSection? section,
        IHostEnvironment? environment)
    {
        var path = section?.Path ?? TypedTasksOptions.SectionName;
        if (section is not null)
        {
            RefuseUnclaimedKeys(section, transports);
        }

        var configured = transports.Where(isConfigured).ToArray();
        if (options.Broker is { } name)
        {
            if (name.Equals(TypedTasksOptions.InMemoryBrokerName, StringComparison.OrdinalIgnoreCase))
            {
                if (configured.Length > 0 && !options.BrokerChosenInCode)
                {
                    throw new InvalidOperationException(
                        $"{path}:Broker is {TypedTasksOptions.InMemoryBrokerName} but {Settings(configured, path, " and ")} is set too: remove one of " +
                        "them (the in-memory broker would silently ignore that setting).");
                }

                return null;
            }

            var chosen = transports.FirstOrDefault(t => t.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
            if (chosen is null)
            {
                throw new InvalidOperationException(
                    $"{path}:Broker is '{name}' but no transport of that name is wired in ({Names(transports)}): reference " +
                    $"its package and call its Use…() extension on AddTypedTasks(...) (by convention TypedTasks.{name} and " +
                    $".Use{name}()), or use {TypedTasksOptions.InMemoryBrokerName} for the in-memory broker.");
            }

            if (!configured.Contains(chosen))
            {
                throw new InvalidOperationException(
                    $"{path}:Broker is {chosen.Name} but {Setting(chosen, path)} is not set: set it{Help(chosen)}.");
            }

            return chosen;
        }

        if (configured.Length == 1)
        {
            return configured[0];
        }

        if (configured.Length > 1)
        {
            throw new InvalidOperationException(
                $"{Settings(configured, path, " and ")} are all set: choose one broker with {path}:Broker ({Names(configured)}).");
        }

        if (environment?.IsDevelopment() == true)
        {
            return null;
        }

        var missing = transports.Count == 0
            ? "no transport is wired in: reference a transport package and call its Use…() extension on AddTypedTasks(...)"
            : "set " + string.Join(", or ", transports.Select(t => Setting(t, path) + Help(t)));
        throw new InvalidOperationException(
            $"TypedTasks has no broker: {missing}; or choose the in-memory broker explicitly with " +
            $"{path}:Broker={TypedTasksOptions.InMemoryBrokerName} ({EnvironmentVariable(path + ":Broker")}) or UseInMemoryBroker(). " +
            "Without either, the in-memory broker is chosen only in the Development environment, and this host's " +
            $"environment is '{environment?.EnvironmentName ?? "unknown (no IHostEnvironment is registered)"}'.");
    }

    private static void RefuseUnclaimedKeys(TypedTasksSection section, IReadOnlyList<BrokerTransport> transports)
    {
        var unclaimed = new List<string>();
        foreach (var child in section.Configuration.GetChildren())
        {
            var claimed = s_hostingKeys.Contains(child.Key, StringComparer.OrdinalIgnoreCase)
                || transports.Any(t => t.ConfigurationKeys.Contains(child.Key, StringComparer.OrdinalIgnoreCase));
            // An empty value is how a test or an override clears a setting (TypedTasks__Redis=""): nothing to ignore.
            if (!claimed && (!string.IsNullOrEmpty(child.Value) || child.GetChildren().Any()))
            {
                unclaimed.Add(section.Path + ":" + child.Key);
            }
        }

        if (unclaimed.Count == 0)
        {
            return;
        }

        // All of them at once: a host moved from an older version may carry several. The hint is the naming convention
        // only (hosting knows no transport): TypedTasks:X belongs to the package TypedTasks.X and its .UseX().
        var verb = unclaimed.Count == 1 ? "is" : "are";
        var them = unclaimed.Count == 1 ? "it" : "them";
        var conventions = string.Join("; ", unclaimed.Select(static key =>
        {
            var name = key[(key.LastIndexOf(':') + 1)..];
            return $"{key}: the package TypedTasks.{name}, .Use{name}()";
        }));
        throw new InvalidOperationException(
            $"{string.Join(", ", unclaimed)} {verb} set but nothing reads {them}: no transport wired into " +
            $"AddTypedTasks(...) claims {them} ({Names(transports)}). A transport package wires itself in with its own " +
            $"extension on AddTypedTasks(...); by convention ({conventions}). " +
            "A setting that is a leftover or a typo: remove it.");
    }

    private static string Names(IEnumerable<BrokerTransport> transports)
    {
        var names = transports.Select(static t => t.Name).ToArray();
        return "wired in: " + (names.Length == 0 ? "none" : string.Join(", ", names));
    }

    private static string Setting(BrokerTransport transport, string path)
    {
        var key = path + ":" + (transport.SettingKey ?? transport.Name);
        return $"{key} (environment variable {EnvironmentVariable(key)})";
    }

    private static string Settings(IEnumerable<BrokerTransport> transports, string path, string separator)
        => string.Join(separator, transports.Select(t => Setting(t, path)));

    private static string Help(BrokerTransport transport) => transport.SettingHelp is { } help ? " to " + help : "";

    private static string EnvironmentVariable(string key) => key.Replace(":", "__", StringComparison.Ordinal);
}

/// <summary>The section given to <c>AddTypedTasks</c>, with the path its keys are named by in messages.</summary>
internal sealed record TypedTasksSection(IConfiguration Configuration, string Path);
