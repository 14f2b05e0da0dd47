using System;
using System.Collections.Generic;
using System.Text;

namespace TypedTasks.Cli.Output;

/// <summary>One dead letter in <c>dead-letters list --json</c>. The property names are a documented contract
/// (docs/operations.md): add, never rename.</summary>
internal sealed record DeadLetterView(
    string Id,
    string Queue,
    string? TaskId,
    string? Actor,
    string Reason,
    string ErrorType,
    string Message,
    int? Attempt,
    DateTimeOffset DeadLetteredAt,
    DateTimeOffset? EnqueuedAt)
{
    public static DeadLetterView From(DeadLetter deadLetter) => new(
        deadLetter.Id,
        deadLetter.Queue,
        deadLetter.TaskId,
        deadLetter.Actor,
        deadLetter.Error.Reason.ToString(),
        deadLetter.Error.Type,
        deadLetter.Error.Message,
        deadLetter.Message?.Attempt,
        deadLetter.DeadLetteredAt,
        deadLetter.Message?.EnqueuedAt);
}

/// <summary><c>dead-letters list --json</c>: one page, oldest first.</summary>
/// <param name="Next">Pass as <c>--after</c> for the next page; null on the last page.</param>
internal sealed record DeadLetterPageView(string Queue, int Count, IReadOnlyList<DeadLetterView> Items, string? Next);

/// <summary><c>dead-letters show --json</c>: everything stored with one dead letter.</summary>
/// <param name="Arguments">The task's arguments as the JSON text they were sent as; null when undecodable.</param>
/// <param name="RawFields">The broker entry's fields, when the message could not be decoded.</param>
internal sealed record DeadLetterDetailView(
    string Id,
    string Queue,
    string? TaskId,
    string? Actor,
    string Reason,
    string ErrorType,
    string Message,
    string? StackTrace,
    int? Attempt,
    DateTimeOffset DeadLetteredAt,
    DateTimeOffset? EnqueuedAt,
    DateTimeOffset? DueAt,
    string? Arguments,
    IReadOnlyDictionary<string, string>? Headers,
    IReadOnlyDictionary<string, string>? RawFields)
{
    public static DeadLetterDetailView From(DeadLetter deadLetter)
    {
        var summary = DeadLetterView.From(deadLetter);
        return new DeadLetterDetailView(
            summary.Id,
            summary.Queue,
            summary.TaskId,
            summary.Actor,
            summary.Reason,
            summary.ErrorType,
            summary.Message,
            deadLetter.Error.StackTrace,
            summary.Attempt,
            summary.DeadLetteredAt,
            summary.EnqueuedAt,
            deadLetter.Message?.DueAt,
            deadLetter.Message is { } message ? Encoding.UTF8.GetString(message.Arguments.Span) : null,
            deadLetter.Message?.Headers,
            deadLetter.RawFields);
    }
}

/// <summary>What <c>dead-letters requeue|purge</c> and <c>queue purge</c> did, with <c>--json</c>.</summary>
/// <param name="Action"><c>requeued</c> or <c>purged</c>.</param>
/// <param name="Count">How many dead letters (or queued messages) it affected.</param>
/// <param name="Ids">The dead-letter ids affected, when the command knows them (by id and by filter).</param>
internal sealed record ChangeView(string Action, string Queue, long Count, IReadOnlyList<string>? Ids);
