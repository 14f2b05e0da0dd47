namespace TypedTasks.LoadTest;

/// <summary>The load test's task: the same no-op taking <c>(int i, string payload)</c> as the peers' tasks.</summary>
/// <remarks>This file is compiled into the worker (which runs it) and into the load tool (which sends it through the
/// generated <c>Tasks.NoOpActors.NoOp</c> stub), so both sides agree on the actor's name, queue and argument encoding.</remarks>
public static class NoOpActors
{
    /// <summary>Does nothing, except note its start time when the latency workload asks for it.</summary>
    /// <param name="i">The task's index; negative for warm-up tasks, which the latency workload leaves out.</param>
    /// <param name="payload">Padding; the latency workload puts its enqueue stamp in front (<c>"&lt;ns&gt;|xxx…"</c>).</param>
    [Actor(Name = "NoOp")]
    public static void NoOp(int i, string payload) => StartProbe.OnTaskStarted(i, payload);
}
