using System;

namespace TypedTasks;

/// <summary>
/// The message's arguments could not be read: invalid JSON, a missing required parameter, or a value of the wrong
/// shape. Never retried: the message is dead-lettered with this reason.
/// </summary>
public sealed class TaskArgumentException : NonRetryableException
{
    /// <summary>Creates the exception.</summary>
    public TaskArgumentException(string message) : base(message) { }

    /// <summary>Creates the exception with its cause.</summary>
    public TaskArgumentException(string message, Exception innerException) : base(message, innerException) { }
}
