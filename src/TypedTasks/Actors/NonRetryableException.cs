using System;

namespace TypedTasks;

/// <summary>
/// Thrown by an actor to fail its message at once: the worker dead-letters it without further retries.
/// </summary>
public class NonRetryableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public NonRetryableException() { }

    /// <summary>Creates the exception with a message.</summary>
    public NonRetryableException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public NonRetryableException(string message, Exception innerException) : base(message, innerException) { }
}
