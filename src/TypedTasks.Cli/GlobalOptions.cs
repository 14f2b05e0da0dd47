using System;
using System.CommandLine;

namespace TypedTasks.Cli;

/// <summary>The options every command takes (<see cref="Option.Recursive"/>), and the ones several share.</summary>
internal sealed class GlobalOptions
{
    public const string RedisVariable = "TYPEDTASKS_REDIS";
    public const string PrefixVariable = "TYPEDTASKS_PREFIX";

    public Option<string?> Redis { get; } = new("--redis", "-r")
    {
        Description = $"StackExchange.Redis configuration string (host:port, several endpoints for a Cluster, password=…, ssl=true). Default: ${RedisVariable}, else {RedisConnector.DefaultConfiguration}",
        HelpName = "configuration",
        Recursive = true,
    };

    public Option<string?> Prefix { get; } = new("--prefix")
    {
        Description = $"Key prefix of the deployment (RedisBrokerOptions.KeyPrefix). Default: ${PrefixVariable}, else tt",
        HelpName = "prefix",
        Recursive = true,
    };

    public Option<string?> ConsumerGroup { get; } = new("--consumer-group")
    {
        Description = "Consumer group of the deployment's workers (RedisBrokerOptions.ConsumerGroup), for the in-flight counts. Default: workers",
        HelpName = "group",
        Recursive = true,
    };

    public string RedisConfiguration(ParseResult parseResult) =>
        NonEmpty(parseResult.GetValue(Redis)) ?? NonEmpty(Environment.GetEnvironmentVariable(RedisVariable)) ?? RedisConnector.DefaultConfiguration;

    public string KeyPrefix(ParseResult parseResult) =>
        NonEmpty(parseResult.GetValue(Prefix)) ?? NonEmpty(Environment.GetEnvironmentVariable(PrefixVariable)) ?? "tt";

    public string ConsumerGroupName(ParseResult parseResult) => NonEmpty(parseResult.GetValue(ConsumerGroup)) ?? "workers";

    /// <summary>A fresh <c>--json</c> for a read command (an option belongs to one command).</summary>
    public static Option<bool> Json() => new("--json")
    {
        Description = "Write JSON for scripts instead of a table (property names documented in docs/operations.md)",
    };

    /// <summary>A fresh <c>--yes</c> for a destructive command.</summary>
    public static Option<bool> Yes() => new("--yes", "-y")
    {
        Description = "Confirm without asking (required when stdin is not a terminal)",
    };

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
