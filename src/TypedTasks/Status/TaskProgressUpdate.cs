using System;

namespace TypedTasks;

/// <summary>One progress report as a store receives it (<see cref="ITaskStatusStore.ReportProgressAsync"/>).</summary>
/// <param name="Percent">0 to 100, or <see langword="null"/>.</param>
/// <param name="Message">A message, or <see langword="null"/>.</param>
/// <param name="Value">A typed value as UTF-8 JSON, or empty.</param>
/// <param name="At">When the actor reported it.</param>
public sealed record TaskProgressUpdate(double? Percent, string? Message, ReadOnlyMemory<byte> Value, DateTimeOffset At);
