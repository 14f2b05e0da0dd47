using System;
using System.Collections.Generic;
using System.CommandLine;

namespace TypedTasks.Cli.Commands;

/// <summary>The options that pick dead letters: <c>--reason</c>, <c>--actor</c>, <c>--older-than</c> (all must match).</summary>
internal sealed class DeadLetterFilterOptions
{
    public Option<DeadLetterReason?> Reason { get; } = new("--reason")
    {
        HelpName = "reason",
        Description = "Only dead letters with this reason (RetriesExhausted, NonRetryable, Expired, UnknownActor, InvalidArguments, MalformedMessage, TooLarge, TimeLimitExceeded)",
    };

    public Option<string?> Actor { get; } = new("--actor")
    {
        Description = "Only dead letters of this actor (its wire name, e.g. math.add)",
    };

    public Option<TimeSpan?> OlderThan { get; } = new("--older-than")
    {
        Description = "Only dead letters dead-lettered longer ago than this (30s, 15m, 2h, 7d)",
        HelpName = "duration",
        CustomParser = static result => Durations.Parse(result),
    };

    public IEnumerable<Option> All => [Reason, Actor, OlderThan];

    public DeadLetterFilter Read(ParseResult parseResult) => new(
        parseResult.GetValue(Reason),
        parseResult.GetValue(Actor),
        parseResult.GetValue(OlderThan));

    public DeadLetterFilter Read(System.CommandLine.Parsing.CommandResult result) => new(
        result.GetValue(Reason),
        result.GetValue(Actor),
        result.GetValue(OlderThan));
}

/// <summary>A filter as read from the command line; <see cref="IsEmpty"/> when no filter option was given.</summary>
internal sealed record DeadLetterFilter(DeadLetterReason? Reason, string? Actor, TimeSpan? OlderThan)
{
    public bool IsEmpty => Reason is null && Actor is null && OlderThan is null;

    public override string ToString()
    {
        var parts = new List<string>(3);
        if (Reason is { } reason)
        {
            parts.Add("reason " + reason);
        }

        if (Actor is { } actor)
        {
            parts.Add("actor " + actor);
        }

        if (OlderThan is { } olderThan)
        {
            parts.Add("older than " + olderThan);
        }

        return string.Join(", ", parts);
    }
}
