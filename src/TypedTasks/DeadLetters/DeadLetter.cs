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
    DateTimeOffset DeadLetteredAt);
