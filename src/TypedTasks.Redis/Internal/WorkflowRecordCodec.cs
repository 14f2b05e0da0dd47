using System;
using System.Collections.Generic;
using System.Globalization;
using StackExchange.Redis;
using TypedTasks.Brokers;

namespace TypedTasks.Redis.Internal;

/// <summary>
/// A step's outcome and a workflow's final state, each stored as one hash field of <c>P:wf:{ID}</c>: name/value pairs
/// in the due-later member's length-prefixed form (<see cref="DueMemberCodec"/>: <c>&lt;byte length&gt;:&lt;bytes&gt;</c>
/// repeated). An outcome's pairs are a result hash's (<see cref="ResultCodec"/>: <c>ok</c>, <c>v</c>, <c>at</c>, and on
/// failure <c>reason</c>, <c>type</c>, <c>msg</c>, <c>stack</c>); a final state's are <c>st</c> (the
/// <see cref="WorkflowState"/> number), <c>step</c>, and the error's fields named as an outcome's. Binary-safe, never
/// empty, and opaque to the scripts: they only compare and copy it.
/// </summary>
internal static class WorkflowRecordCodec
{
    public static byte[] EncodeOutcome(TaskOutcome outcome)
    {
        var flat = new List<RedisValue>(14);
        ResultCodec.AddFields(flat, outcome);
        return DueMemberCodec.Encode(flat);
    }

    /// <summary>The outcome in <paramref name="stored"/>; <see langword="null"/> for none (a nil or empty value).</summary>
    /// <exception cref="FormatException">The value is not an encoded outcome.</exception>
    public static TaskOutcome? DecodeOutcome(RedisValue stored, string workflowId, int step)
    {
        if (stored.IsNullOrEmpty)
        {
            return null;
        }

        var pairs = Pairs(stored) ?? throw new FormatException($"The outcome of step {step} of workflow {workflowId} is not an encoded outcome.");
        return ResultCodec.Decode(pairs);
    }

    public static byte[] EncodeFinal(WorkflowFinalState final)
    {
        var flat = new List<RedisValue>(12)
        {
            Fields.FinalState, (int)final.State,
            Fields.FinalStep, final.Step,
        };
        if (final.Error is { } error)
        {
            ResultCodec.AddErrorFields(flat, error);
        }

        return DueMemberCodec.Encode(flat);
    }

    /// <summary>The final state in <paramref name="stored"/>; <see langword="null"/> for none (a nil or empty value).</summary>
    /// <exception cref="FormatException">The value is not an encoded final state.</exception>
    public static WorkflowFinalState? DecodeFinal(RedisValue stored, string workflowId)
    {
        if (stored.IsNullOrEmpty)
        {
            return null;
        }

        var pairs = Pairs(stored) ?? throw new FormatException($"The final state of workflow {workflowId} is not an encoded final state.");
        RedisValue state = default, step = default, reason = default, type = default, message = default, stack = default;
        foreach (var entry in pairs)
        {
            var name = entry.Name;
            if (name == Fields.FinalState) { state = entry.Value; }
            else if (name == Fields.FinalStep) { step = entry.Value; }
            else if (name == Fields.ResultReason) { reason = entry.Value; }
            else if (name == Fields.ResultType) { type = entry.Value; }
            else if (name == Fields.ResultMessage) { message = entry.Value; }
            else if (name == Fields.ResultStack) { stack = entry.Value; }
        }

        if (state.IsNull || step.IsNull || !state.TryParse(out int stateNumber) || !Enum.IsDefined((WorkflowState)stateNumber) || !step.TryParse(out int stepNumber))
        {
            throw new FormatException($"The final state of workflow {workflowId} is not an encoded final state.");
        }

        return new WorkflowFinalState((WorkflowState)stateNumber, stepNumber, ResultCodec.ErrorOf(reason, type, message, stack));
    }

    private static HashEntry[]? Pairs(RedisValue stored)
    {
        var flat = DueMemberCodec.TryDecode((byte[])stored!);
        if (flat is null)
        {
            return null;
        }

        var pairs = new HashEntry[flat.Count / 2];
        for (var i = 0; i < pairs.Length; i++)
        {
            pairs[i] = new HashEntry(flat[2 * i], flat[(2 * i) + 1]);
        }

        return pairs;
    }

    /// <summary>A step's field name: <paramref name="prefix"/> followed by the index in invariant digits.</summary>
    public static RedisValue StepField(string prefix, int step) => string.Concat(prefix, step.ToString(CultureInfo.InvariantCulture));
}
