using System;
using System.Net;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Mvc.Testing;

namespace TypedTasks.WebApi.Tests;

/// <summary>
/// Drives the sample over HTTP in its default mode: in-memory broker with the worker inside the app's process.
/// One class shares one app, so its tests run one after another and never race over <c>TaskClient.Default</c>.
/// </summary>
public sealed class ReportsApiTests(InMemoryReportsApi factory) : IClassFixture<InMemoryReportsApi>
{
    // Generous: the worker is in-process and the actor waits 50 ms, but CI machines can be slow.
    private static readonly TimeSpan CompletionWait = TimeSpan.FromSeconds(10);

    private readonly HttpClient _client = factory.CreateClient();

    [Fact]
    public async Task Post_answers_202_with_the_task_id_and_where_to_poll()
    {
        using var response = await PostReportAsync("""{"customerId":7,"from":"2026-01-01","to":"2026-01-10"}""");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        using var body = await ReadJsonAsync(response);
        var id = body.RootElement.GetProperty("id").GetString();
        Assert.False(string.IsNullOrWhiteSpace(id));
        Assert.Equal("queued", body.RootElement.GetProperty("status").GetString());
        Assert.Equal($"/reports/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal($"/reports/{id}", body.RootElement.GetProperty("location").GetString());
    }

    [Fact]
    public async Task Polling_reaches_succeeded_with_the_report_the_actor_computed()
    {
        using var accepted = await PostReportAsync("""{"customerId":7,"from":"2026-01-01","to":"2026-01-10"}""");
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);

        using var status = await PollUntilFinishedAsync(accepted.Headers.Location!);

        var root = status.RootElement;
        Assert.Equal("succeeded", root.GetProperty("status").GetString());
        var report = root.GetProperty("result");
        // FakeOrderHistory: one order a day worth the customer id, so 10 days of customer 7 -> 10 orders, 70.
        Assert.Equal(7, report.GetProperty("customerId").GetInt32());
        Assert.Equal("2026-01-01", report.GetProperty("from").GetString());
        Assert.Equal("2026-01-10", report.GetProperty("to").GetString());
        Assert.Equal(10, report.GetProperty("orders").GetInt32());
        Assert.Equal(70m, report.GetProperty("revenue").GetDecimal());
        Assert.True(report.GetProperty("generatedAt").TryGetDateTimeOffset(out _));
        Assert.Equal(1, root.GetProperty("attempt").GetInt32());
        Assert.Equal(100, root.GetProperty("progress").GetProperty("percent").GetDouble());
        Assert.Equal("10 orders read", root.GetProperty("progress").GetProperty("message").GetString());
        // Null members are left out rather than written as null.
        Assert.False(root.TryGetProperty("error", out _));
    }

    [Fact]
    public async Task Polling_an_inverted_range_shows_failed_with_the_actors_error()
    {
        using var accepted = await PostReportAsync("""{"customerId":7,"from":"2026-01-10","to":"2026-01-01"}""");
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);

        using var status = await PollUntilFinishedAsync(accepted.Headers.Location!);

        var root = status.RootElement;
        Assert.Equal("failed", root.GetProperty("status").GetString());
        Assert.Contains("before it starts", root.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.False(root.TryGetProperty("result", out _));
    }

    [Fact]
    public async Task An_unknown_id_is_404()
    {
        using var response = await _client.GetAsync(new Uri("/reports/no-such-task", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData("""{"customerId":7,"from":"2026-01-01","to":""")]
    [InlineData("""{"customerId":"seven","from":"2026-01-01","to":"2026-01-10"}""")]
    [InlineData("""{"customerId":7,"from":"the first of January","to":"2026-01-10"}""")]
    [InlineData("")]
    public async Task An_invalid_body_is_rejected_with_400(string body)
    {
        using var response = await PostReportAsync(body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private async Task<HttpResponseMessage> PostReportAsync(string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        return await _client.PostAsync(new Uri("/reports", UriKind.Relative), content);
    }

    private async Task<JsonDocument> PollUntilFinishedAsync(Uri location)
    {
        var deadline = DateTimeOffset.UtcNow + CompletionWait;
        while (true)
        {
            using var response = await _client.GetAsync(location);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await ReadJsonAsync(response);
            if (body.RootElement.GetProperty("status").GetString() is not ("queued" or "running" or "retrying" or "scheduled"))
            {
                return body;
            }

            body.Dispose();
            Assert.True(DateTimeOffset.UtcNow < deadline, $"{location} was still unfinished after {CompletionWait.TotalSeconds} s.");
            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }
    }

    internal static async Task<JsonDocument> ReadJsonAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }
}
