using System.Collections.Generic;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

namespace TypedTasks.WebApi.Tests;

/// <summary>
/// The sample in its in-memory mode whatever the machine's environment says: a <c>TypedTasks__Redis</c> variable on
/// a developer's machine would otherwise switch the app to Redis with no worker, and every poll would stay pending.
/// </summary>
public sealed class InMemoryReportsApi : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // Added after the app's own sources (environment variables included), so these win.
        builder.ConfigureAppConfiguration(static configuration => configuration.AddInMemoryCollection(
            new Dictionary<string, string?> { ["TypedTasks:Redis"] = "", ["TypedTasks:Worker:Enabled"] = "true" }));
    }
}
