using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Reports.Actors;
using TypedTasks;
using WebApi;

var builder = WebApplication.CreateBuilder(args);

builder.Services.ConfigureHttpJsonOptions(options =>
{
    options.SerializerOptions.TypeInfoResolverChain.Insert(0, WebApiJsonContext.Default);
    options.SerializerOptions.TypeInfoResolverChain.Insert(1, ReportsJsonContext.Default);
    // A context used as a resolver gives metadata only; its [JsonSourceGenerationOptions] do not reach these options,
    // so the ignore condition must be set here for "result"/"error" to be left out when null.
    options.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
});

// UseRedis() (package TypedTasks.Redis) reads TypedTasks:Redis. In Development (dotnet run applies
// Properties/launchSettings.json) and without TypedTasks:Redis: in-memory with an in-process worker, so the sample runs alone. In any other environment TypedTasks:Redis must be set (or the in-memory
// broker chosen with TypedTasks:Broker=InMemory), or the app refuses to start: a lost Redis setting must not turn the
// API into one that accepts reports nobody builds. Next to separate workers (samples/AotWorker) configure
// TypedTasks__Redis=host:port and TypedTasks__Worker__Enabled=false: this process then only enqueues. (In code,
// .WithoutWorker() on the builder does the same.)
builder.Services.AddScoped<IOrderHistory, FakeOrderHistory>();
builder.Services.AddTypedTasks(Tasks.Registry, builder.Configuration.GetSection("TypedTasks")).UseRedis();

var app = builder.Build();

app.MapPost("/reports", async (ReportRequest request, ITaskClient tasks, CancellationToken cancellationToken) =>
{
    // The actor is declared with TrackStatus = true: its status is recorded from here on.
    var handle = await Tasks.ReportGenerator.GenerateReport.SendAsync(tasks, request, cancellationToken: cancellationToken);
    var location = $"/reports/{handle.Id}";
    return Results.Accepted(location, new ReportAccepted(handle.Id, "queued", location));
});

app.MapGet("/reports/{id}", async (string id, ITaskClient tasks, CancellationToken cancellationToken) =>
{
    // One read: the recorded state, the outcome and the latest progress.
    var status = await tasks.GetStatusAsync(id, cancellationToken);
    if (status.State == TaskState.Unknown)
    {
        // Never sent, or its record expired (WorkerOptions.ResultTimeToLive, one day by default).
        return Results.NotFound();
    }

    Report? report = null;
    if (status.State == TaskState.Succeeded && await tasks.Results.GetAsync(id, cancellationToken) is { } outcome)
    {
        // The worker stored the actor's result with the same source-generated JSON metadata.
        report = JsonSerializer.Deserialize(outcome.Value.Span, ReportsJsonContext.Default.Report);
    }

    var progress = status.Progress is { } p ? new ReportProgress(p.Percent, p.Message) : null;
    return Results.Ok(new ReportStatus(
        id,
        StatusName(status.State),
        report,
        status.Error?.Message,
        status.Attempt > 0 ? status.Attempt : null,
        progress,
        status.UpdatedAt));
});

app.Run();

static string StatusName(TaskState state) => state switch
{
    TaskState.Scheduled => "scheduled",
    TaskState.Queued => "queued",
    TaskState.Running => "running",
    TaskState.Retrying => "retrying",
    TaskState.Succeeded => "succeeded",
    TaskState.Failed => "failed",
    TaskState.DeadLettered => "dead-lettered",
    TaskState.Cancelled => "cancelled",
    _ => "unknown",
};
