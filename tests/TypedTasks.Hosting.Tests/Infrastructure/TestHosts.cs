using System;
using System.Collections.Generic;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TypedTasks.Hosting.Tests.Actors;

namespace TypedTasks.Hosting.Tests.Infrastructure;

/// <summary>Generic hosts for tests: no appsettings.json, no environment variables (a developer's
/// <c>TypedTasks__Redis</c> must not leak in), only the in-memory settings a test gives.</summary>
public static class TestHosts
{
    public static HostApplicationBuilder CreateBuilder(IDictionary<string, string?>? settings = null)
        => CreateBuilder(settings, Environments.Development);

    public static HostApplicationBuilder CreateBuilder(IDictionary<string, string?>? settings, string environmentName)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            DisableDefaults = true,
            EnvironmentName = environmentName,
        });
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        // Every host's registry holds the instance actor ScopeProbe: a worker refuses to start while its constructor
        // service is missing (WorkerOptions.ValidateDependencies).
        builder.Services.AddScoped<ScopedDependency>();
        return builder;
    }

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);
}
