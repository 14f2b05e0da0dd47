using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;

namespace TypedTasks;

/// <summary>
/// The logging scope around one actor run: a struct, so a logger without scopes (or <c>NullLogger</c>) costs no
/// allocation; providers that keep scopes box it once per attempt. Properties: <c>TaskId</c>, <c>Actor</c>,
/// <c>Attempt</c>, <c>Queue</c>.
/// </summary>
internal readonly struct TaskLogScope(string taskId, string actor, int attempt, string queue) : IReadOnlyList<KeyValuePair<string, object?>>
{
    public int Count => 4;

    public KeyValuePair<string, object?> this[int index] => index switch
    {
        0 => new("TaskId", taskId),
        1 => new("Actor", actor),
        2 => new("Attempt", attempt),
        3 => new("Queue", queue),
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        for (var i = 0; i < Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    // Console and simple providers print the scope with ToString.
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"Task {taskId} ({actor}) attempt {attempt} on {queue}");
}
