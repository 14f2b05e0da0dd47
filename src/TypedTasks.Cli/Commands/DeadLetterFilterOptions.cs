using System;
using System.Collections.Generic;
using System.CommandLine;
using System.CommandLine.Parsing;

namespace TypedTasks.Cli.Commands;

/// <summary>The options that pick dead letters: <c>--reason</c>, <c>--actor</c>, <c>--older-than</c> (all must match);
/// read into the store's own <see cref="DeadLetterFilter"/>.</summary>
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

    /// <summary>Whether any filter option was given (a validator's view of the command line).</summary>
    public bool AnyGiven(CommandResult result) =>
        result.GetValue(Reason) is not null || result.GetValue(Actor) is not null || result.GetValue(OlderThan) is not null;

    /// <summary>The filter, with "older than" turned into a cut-off on this machine's clock; null when none was given.</summary>
    public DeadLetterFilter? Read(ParseResult parseResult)
    {
        var reason = parseResult.GetValue(Reason);
        var actor = parseResult.GetValue(Actor);
        var olderThan = parseResult.GetValue(OlderThan);
        return reason is null && actor is null && olderThan is null
            ? null
            : new DeadLetterFilter { Reason = reason, Actor = actor, DeadLetteredBefore = DateTimeOffset.UtcNow - olderThan };
    }

    /// <summary>"reason NonRetryable, actor math.add, older than 2h", for prompts and messages.</summary>
    public string Describe(ParseResult parseResult)
    {
        var parts = new List<string>(3);
        if (parseResult.GetValue(Reason) is { } reason)
        {
            parts.Add("reason " + reason);
        }

        if (parseResult.GetValue(Actor) is { } actor)
        {
            parts.Add("actor " + actor);
        }

        if (parseResult.GetValue(OlderThan) is not null)
        {
            parts.Add("older than " + parseResult.GetResult(OlderThan)!.Tokens[0].Value);
        }

        return string.Join(", ", parts);
    }
}
