using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace TypedTasks.Workflows;

/// <summary>
/// The header that makes a task a workflow step: <c>typedtasks-workflow: {workflow id}/{step}/{dependants}/{flags}/{ttl s}</c>,
/// e.g. <c>wf-01J…/3/5,7/so/86400</c>. It carries what the worker needs to hand over without reading the step's
/// definition: whom to count off (dependants, comma-separated), whether the step has success (<c>s</c>) or failure
/// (<c>f</c>) callbacks and whether it is the workflow's last step (<c>o</c>), and the state's time to live.
/// </summary>
internal readonly record struct WorkflowHeader(string WorkflowId, int Step, int[] Dependants, bool HasSuccessCallbacks, bool HasFailureCallbacks, bool IsOutput, int TimeToLiveSeconds)
{
    public const string Name = "typedtasks-workflow";

    public TimeSpan TimeToLive => TimeSpan.FromSeconds(TimeToLiveSeconds);

    public static bool TryRead(TaskMessage message, out WorkflowHeader header)
    {
        header = default;
        return message.Headers is { } headers && headers.TryGetValue(Name, out var value) && TryParse(value, out header);
    }

    public override string ToString()
    {
        var text = new StringBuilder(WorkflowId.Length + 32);
        text.Append(WorkflowId).Append('/').Append(Step.ToString(CultureInfo.InvariantCulture)).Append('/');
        for (var i = 0; i < Dependants.Length; i++)
        {
            text.Append(i == 0 ? "" : ",").Append(Dependants[i].ToString(CultureInfo.InvariantCulture));
        }

        text.Append('/');
        if (HasSuccessCallbacks)
        {
            text.Append('s');
        }

        if (HasFailureCallbacks)
        {
            text.Append('f');
        }

        if (IsOutput)
        {
            text.Append('o');
        }

        return text.Append('/').Append(TimeToLiveSeconds.ToString(CultureInfo.InvariantCulture)).ToString();
    }

    public static bool TryParse(string value, out WorkflowHeader header)
    {
        header = default;
        var parts = value.Split('/');
        if (parts.Length != 5 || parts[0].Length == 0
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var step)
            || !int.TryParse(parts[4], NumberStyles.None, CultureInfo.InvariantCulture, out var ttl) || ttl <= 0)
        {
            return false;
        }

        var dependants = new List<int>();
        if (parts[2].Length > 0)
        {
            foreach (var item in parts[2].Split(','))
            {
                if (!int.TryParse(item, NumberStyles.None, CultureInfo.InvariantCulture, out var dependant))
                {
                    return false;
                }

                dependants.Add(dependant);
            }
        }

        var flags = parts[3];
        header = new WorkflowHeader(parts[0], step, [.. dependants], flags.Contains('s', StringComparison.Ordinal), flags.Contains('f', StringComparison.Ordinal), flags.Contains('o', StringComparison.Ordinal), ttl);
        return true;
    }
}
