using System;
using System.Linq;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TypedTasks;
using TypedTasks.Hosting.TestHost;

// A worker host written the way the README tells users to, run as a child process by
// tests/TypedTasks.Hosting.Tests (ProcessExitTests) so they can assert on what a supervisor sees: the exit code.
//   TestHost [--broken-broker] [host arguments: --TypedTasks:Redis=..., --environment ...]
// --broken-broker registers a broker whose consumer can never be created, so the worker's start fails for a reason
// that is not a connection problem.
var brokenBroker = args.Contains("--broken-broker", StringComparer.Ordinal);
var builder = Host.CreateApplicationBuilder(args.Where(static a => a != "--broken-broker").ToArray());
if (brokenBroker)
{
    builder.Services.AddSingleton<ITaskBroker>(new BrokenBroker());
}

builder.Services.AddTypedTasks(Tasks.Registry, builder.Configuration.GetSection("TypedTasks")).UseRedis();
using var host = builder.Build();
await host.RunAsync();
