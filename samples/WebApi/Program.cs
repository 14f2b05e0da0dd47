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
    var handle = await Tasks.ReportGenerator.GenerateReport.SendAsync(tasks, request, cancellationToken: cancellationToken);
    var location = $"/reports/{handle.Id}";
    return Results.Accepted(location, new ReportAccepted(handle.Id, "pending", location));
});

app.MapGet("/reports/{id}", async (string id, ITaskClient tasks, CancellationToken cancellationToken) =>
{
    var outcome = await tasks.Results.GetAsync(id, cancellationToken);
    if (outcome is null)
    {
        // Not finished yet (or unknown / expired: the result store cannot tell these apart).
        return Results.Ok(new ReportStatus(id, "pending"));
    }

    if (!outcome.Succeeded)
    {
        return Results.Ok(new ReportStatus(id, "failed", Error: outcome.Error?.Message ?? "failed"));
    }

    // The worker stored the actor's result with the same source-generated JSON metadata.
    var report = JsonSerializer.Deserialize(outcome.Value.Span, ReportsJsonContext.Default.Report);
    return Results.Ok(new ReportStatus(id, "succeeded", report));
});

app.Run();
