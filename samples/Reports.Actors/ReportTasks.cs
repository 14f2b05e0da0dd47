using System.Threading;
using System.Threading.Tasks;
using TypedTasks;

namespace Reports.Actors;

/// <summary>
/// The public face of this library's actors. The generated <c>Tasks</c> class is <see langword="internal"/> to the
/// assembly that declares the actors, so the web API and the worker reach them through here.
/// </summary>
public static class ReportTasks
{
    /// <summary>Every actor of this library, for <c>AddTypedTasks(ReportTasks.Registry, ...)</c>.</summary>
    public static IActorRegistry Registry => Tasks.Registry;

    /// <summary>Queues a report; the handle's <see cref="TaskHandle{T}.GetResultAsync"/> waits for it.</summary>
    public static ValueTask<TaskHandle<Report>> GenerateAsync(ITaskClient client, ReportRequest request, CancellationToken cancellationToken = default) =>
        Tasks.GenerateReport.SendAsync(client, request, cancellationToken: cancellationToken);

    /// <summary>Builds an addition without sending it, to send many in one batch.</summary>
    public static TaskRequest AddMessage(long a, long b) => Tasks.Add.Message(a, b);

    /// <summary>Types a handle of an addition sent in a batch.</summary>
    public static TaskHandle<long> AddHandle(TaskHandle handle) => Tasks.Add.Handle(handle);

    /// <summary>Types a handle of a report sent elsewhere (for example from its id only).</summary>
    public static TaskHandle<Report> ReportHandle(TaskHandle handle) => Tasks.GenerateReport.Handle(handle);
}
