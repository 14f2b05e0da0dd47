using System;
using System.Globalization;

namespace TypedTasks.Workflows;

/// <summary>The ids of a workflow and of everything it sends: deterministic, so a repeated hand-over sends the same id
/// and the broker's duplicate check (the id is remembered on its queue) stores it once.</summary>
internal static class WorkflowIds
{
    /// <summary>Longest workflow id: room for the longest step or callback suffix within a task id's 128 characters.</summary>
    public const int MaxLength = 100;

    public static string New(DateTimeOffset now) => "wf-" + TaskId.NewId(now);

    public static void ThrowIfInvalid(string id, string paramName)
    {
        WireNames.ThrowIfInvalid(id, "workflow id", paramName);
        if (id.Length > MaxLength)
        {
            throw new ArgumentException($"The workflow id '{id}' is {id.Length} characters long; at most {MaxLength} are allowed (step ids add a suffix).", paramName);
        }
    }

    /// <summary>Step <paramref name="index"/>'s task id.</summary>
    public static string Step(string workflowId, int index) => string.Create(CultureInfo.InvariantCulture, $"{workflowId}.{index}");

    /// <summary>The task id of callback <paramref name="k"/> of step <paramref name="index"/> (s = success, f = failure).</summary>
    public static string Callback(string workflowId, int index, char kind, int k) =>
        string.Create(CultureInfo.InvariantCulture, $"{workflowId}.{index}.{kind}{k}");
}
