using System;
using System.Collections.Generic;

namespace TypedTasks;

/// <summary>A message that failed for good.</summary>
/// <param name="Id">The dead letter's own id within its queue's dead-letter store.</param>
/// <param name="Queue">The queue the message came from.</param>
/// <param name="Message">The envelope, when it could be decoded.</param>
/// <param name="RawFields">The raw broker fields, when the envelope could not be decoded.</param>
/// <param name="Error">Why it failed.</param>
/// <param name="DeadLetteredAt">When it was dead-lettered.</param>
public sealed record DeadLetter(
    string Id,
    string Queue,
    TaskMessage? Message,
    IReadOnlyDictionary<string, string>? RawFields,
    TaskError Error,
    DateTimeOffset DeadLetteredAt)
{
    /// <summary>The task id: the message's, or the raw <c>id</c> field of an undecodable entry (<see langword="null"/> when absent).</summary>
    public string? TaskId => Message?.Id ?? RawField("id");

    /// <summary>The actor's wire name: the message's, or the raw <c>actor</c> field of an undecodable entry
    /// (<see langword="null"/> when absent).</summary>
    public string? Actor => Message?.Actor ?? RawField("actor");

    private string? RawField(string name) => RawFields is not null && RawFields.TryGetValue(name, out var value) ? value : null;
}
