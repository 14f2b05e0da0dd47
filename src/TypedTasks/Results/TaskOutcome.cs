using System;

namespace TypedTasks;

/// <summary>How a task ended, as kept in the result store.</summary>
/// <param name="Succeeded">Whether the actor completed.</param>
/// <param name="Value">The result as UTF-8 JSON (empty for actors without a value, or on failure).</param>
/// <param name="Error">The failure, when <paramref name="Succeeded"/> is false.</param>
/// <param name="CompletedAt">When the outcome was recorded.</param>
public sealed record TaskOutcome(bool Succeeded, ReadOnlyMemory<byte> Value, TaskError? Error, DateTimeOffset CompletedAt);
