using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using TypedTasks.Brokers;
using TypedTasks.Monitoring;

namespace TypedTasks.Redis.TestWorker;

/// <summary>
/// Where the workflow worker process stops, so the test can SIGKILL it at a known point of a step
/// (<see cref="RecordingAdd"/> with the label <see cref="Label"/>): <c>run</c> = while the step runs; <c>recorded</c>
/// = after its hand-over recorded its outcome and counted it off its dependants, before anything is sent;
/// <c>grouped</c> = after the hand-over of the group's last member recorded the group's outcome too, before the
/// group's dependants are sent; <c>sent</c> = after the hand-over sent the continuations, before the delivery is
/// acked. It prints <c>STOPPED &lt;point&gt; &lt;label&gt; &lt;step index recorded last&gt;</c> and waits forever. Meaningful with one worker of concurrency 1, so the
/// next hand-over after the step finished is the step's.
/// </summary>
public sealed class HandOverGate(string point, string label)
{
    private int _armed;
    private int _recorded;

    public string Label { get; } = label;

    public Task AfterCountAsync(string label) => point == "run" && label == Label ? StopAsync() : Task.CompletedTask;

    public void BeforeReturn(string label)
    {
        if (label == Label && point is "recorded" or "grouped" or "sent")
        {
            // The number of step records to let pass before stopping: the step's own, then for "grouped" its group's.
            Volatile.Write(ref _armed, point == "grouped" ? 2 : 1);
        }
    }

    public Task AfterRecordAsync(int step)
    {
        Volatile.Write(ref _recorded, step);
        return point is "recorded" or "grouped" && Volatile.Read(ref _armed) > 0 && Interlocked.Decrement(ref _armed) == 0 ? StopAsync() : Task.CompletedTask;
    }

    public Task AfterSendAsync() => point == "sent" && Interlocked.Exchange(ref _armed, 0) == 1 ? StopAsync() : Task.CompletedTask;

    private Task StopAsync()
    {
        Console.WriteLine($"STOPPED {point} {Label} {Volatile.Read(ref _recorded)}");
        return Task.Delay(Timeout.Infinite); // until the test kills the process
    }
}

/// <summary>A broker that stops at the <see cref="HandOverGate"/> after sends and after workflow step completions.</summary>
public sealed class GatedBroker(ITaskBroker inner, HandOverGate gate) : ITaskBroker
{
    private readonly IWorkflowStore? _workflows = inner.Workflows is { } store ? new GatedWorkflowStore(store, gate) : null;

    public ITaskResultStore Results => inner.Results;

    public IDeadLetterStore DeadLetters => inner.DeadLetters;

    public ITaskStatusStore Status => inner.Status;

    public IScheduleStore? Schedules => inner.Schedules;

    public ITaskMonitor? Monitor => inner.Monitor;

    public IWorkflowStore? Workflows => _workflows;

    public async ValueTask<string?> SendAsync(TaskMessage message, CancellationToken cancellationToken = default)
    {
        var stored = await inner.SendAsync(message, cancellationToken);
        await gate.AfterSendAsync();
        return stored;
    }

    public async ValueTask<IReadOnlyList<string?>?> SendManyAsync(IReadOnlyList<TaskMessage> messages, CancellationToken cancellationToken = default)
    {
        var stored = await inner.SendManyAsync(messages, cancellationToken);
        await gate.AfterSendAsync();
        return stored;
    }

    public ValueTask<CancelResult> CancelAsync(string taskId, CancellationToken cancellationToken = default) => inner.CancelAsync(taskId, cancellationToken);

    public ValueTask<ITaskConsumer> CreateConsumerAsync(ConsumerOptions options, CancellationToken cancellationToken = default) =>
        inner.CreateConsumerAsync(options, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}

internal sealed class GatedWorkflowStore(IWorkflowStore inner, HandOverGate gate) : IWorkflowStore
{
    public ValueTask<bool> CreateAsync(WorkflowDraft workflow, TimeSpan timeToLive, CancellationToken cancellationToken = default) =>
        inner.CreateAsync(workflow, timeToLive, cancellationToken);

    public ValueTask<IReadOnlyList<ReadOnlyMemory<byte>>?> GetStepsAsync(string workflowId, IReadOnlyList<int>? steps, CancellationToken cancellationToken = default) =>
        inner.GetStepsAsync(workflowId, steps, cancellationToken);

    public async ValueTask<WorkflowStepCompletion> CompleteStepAsync(string workflowId, int step, TaskOutcome outcome, IReadOnlyList<int> dependants, TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        var completion = await inner.CompleteStepAsync(workflowId, step, outcome, dependants, timeToLive, cancellationToken);
        await gate.AfterRecordAsync(step);
        return completion;
    }

    public ValueTask<IReadOnlyList<TaskOutcome?>> GetOutcomesAsync(string workflowId, IReadOnlyList<int> steps, CancellationToken cancellationToken = default) =>
        inner.GetOutcomesAsync(workflowId, steps, cancellationToken);

    public ValueTask<WorkflowFinalState?> FinishAsync(string workflowId, WorkflowFinalState final, TimeSpan timeToLive, CancellationToken cancellationToken = default) =>
        inner.FinishAsync(workflowId, final, timeToLive, cancellationToken);

    public ValueTask<WorkflowSnapshot?> GetSnapshotAsync(string workflowId, CancellationToken cancellationToken = default) =>
        inner.GetSnapshotAsync(workflowId, cancellationToken);

    public ValueTask<WorkflowFinalState?> GetFinalAsync(string workflowId, CancellationToken cancellationToken = default) =>
        inner.GetFinalAsync(workflowId, cancellationToken);
}
