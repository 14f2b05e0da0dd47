using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Reports.Actors;
using TypedTasks.Testing;

namespace TypedTasks.WebApi.Tests;

/// <summary>
/// <c>GET /reports/{id}</c> while a report is queued and while it runs: an app without a worker keeps it queued; an
/// app whose order history blocks until the test lets it go shows it running, with its attempt and progress.
/// </summary>
public sealed class ReportStatusTests : IDisposable
{
    private readonly QueueOnlyApi _queueOnly = new();
    private readonly GatedApi _gated = new();

    public void Dispose()
    {
        _gated.History.Release();
        _queueOnly.Dispose();
        _gated.Dispose();
    }

    [Fact]
    public async Task A_report_nobody_runs_yet_reads_as_queued()
    {
        var client = _queueOnly.CreateClient();
        var location = await PostAsync(client);

        using var response = await client.GetAsync(location);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = await ReportsApiTests.ReadJsonAsync(response);
        Assert.Equal("queued", body.RootElement.GetProperty("status").GetString());
        Assert.False(body.RootElement.TryGetProperty("attempt", out _));
        Assert.False(body.RootElement.TryGetProperty("progress", out _));
    }

    [Fact]
    public async Task A_running_report_shows_its_attempt_and_progress_then_its_result()
    {
        var client = _gated.CreateClient();
        var location = await PostAsync(client);

        JsonElement running = default;
        await Eventually.UntilAsync(
            async () =>
            {
                using var response = await client.GetAsync(location);
                using var body = await ReportsApiTests.ReadJsonAsync(response);
                running = body.RootElement.Clone();
                return running.GetProperty("status").GetString() == "running" && running.TryGetProperty("progress", out _);
            },
            "the report runs and reported its first step");
        Assert.Equal(1, running.GetProperty("attempt").GetInt32());
        Assert.Equal(10, running.GetProperty("progress").GetProperty("percent").GetDouble());
        Assert.Equal("reading orders", running.GetProperty("progress").GetProperty("message").GetString());
        Assert.False(running.TryGetProperty("result", out _));

        _gated.History.Release();
        JsonElement finished = default;
        await Eventually.UntilAsync(
            async () =>
            {
                using var response = await client.GetAsync(location);
                using var body = await ReportsApiTests.ReadJsonAsync(response);
                finished = body.RootElement.Clone();
                return finished.GetProperty("status").GetString() == "succeeded";
            },
            "the report finishes once the order history answers");
        Assert.Equal(10, finished.GetProperty("result").GetProperty("orders").GetInt32());
        Assert.Equal(100, finished.GetProperty("progress").GetProperty("percent").GetDouble());
    }

    private static async Task<Uri> PostAsync(HttpClient client)
    {
        using var content = new StringContent("""{"customerId":7,"from":"2026-01-01","to":"2026-01-10"}""", Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(new Uri("/reports", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return response.Headers.Location!;
    }

    /// <summary>The in-memory app with no worker: it only enqueues.</summary>
    private sealed class QueueOnlyApi : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder) =>
            builder.ConfigureAppConfiguration(static configuration => configuration.AddInMemoryCollection(
                new Dictionary<string, string?> { ["TypedTasks:Redis"] = "", ["TypedTasks:Worker:Enabled"] = "false" }));
    }

    /// <summary>The in-memory app with its worker, whose order history waits for <see cref="GatedOrderHistory.Release"/>.</summary>
    private sealed class GatedApi : WebApplicationFactory<Program>
    {
        public GatedOrderHistory History { get; } = new();

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.ConfigureAppConfiguration(static configuration => configuration.AddInMemoryCollection(
                new Dictionary<string, string?> { ["TypedTasks:Redis"] = "", ["TypedTasks:Worker:Enabled"] = "true" }));
            builder.ConfigureTestServices(services => services.AddSingleton<IOrderHistory>(History));
        }
    }

    private sealed class GatedOrderHistory : IOrderHistory
    {
        private readonly ManualResetEventSlim _gate = new();
        private readonly FakeOrderHistory _inner = new();

        public void Release() => _gate.Set();

        public (int Orders, decimal Revenue) Totals(int customerId, DateOnly from, DateOnly to)
        {
            _gate.Wait(TimeSpan.FromSeconds(30));
            return _inner.Totals(customerId, from, to);
        }
    }
}
