using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using TypedTasks.Tests.Support;

namespace TypedTasks.Tests.Diagnostics;

/// <summary>An actor's own log lines carry the task they belong to.</summary>
public sealed class LogScopeTests
{
    [Fact]
    public async Task An_actors_log_lines_carry_the_task_id_actor_attempt_and_queue()
    {
        var provider = new ScopeCapturingProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(provider).SetMinimumLevel(LogLevel.Trace));
        var actorLogger = factory.CreateLogger("Shop.Receipts");
        await using var broker = new InMemoryBroker();
        var actor = new TestActor("receipt", _ =>
        {
            actorLogger.LogInformation("Printing receipt");
            return ValueTask.CompletedTask;
        }, queue: "till");

        var handle = await broker.CreateClient().SendAsync(TestMessages.Create("receipt", queue: "till"));
        await broker.RunUntilIdleAsync(new ActorRegistry([actor]), new InMemoryRunOptions { Logger = factory.CreateLogger<TaskWorker>() });

        var line = Assert.Single(provider.Lines, l => l.Message == "Printing receipt");
        Assert.Equal(handle.Id, line.Scope["TaskId"]);
        Assert.Equal("receipt", line.Scope["Actor"]);
        Assert.Equal(1, line.Scope["Attempt"]);
        Assert.Equal("till", line.Scope["Queue"]);
    }

    private sealed class ScopeCapturingProvider : ILoggerProvider, ISupportExternalScope
    {
        private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

        public ConcurrentQueue<(string Message, Dictionary<string, object?> Scope)> Lines { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public void Dispose()
        {
        }

        private sealed class Logger(ScopeCapturingProvider owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => owner._scopes.Push(state);

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var scope = new Dictionary<string, object?>();
                owner._scopes.ForEachScope(static (value, target) =>
                {
                    if (value is IEnumerable<KeyValuePair<string, object?>> pairs)
                    {
                        foreach (var pair in pairs)
                        {
                            target[pair.Key] = pair.Value;
                        }
                    }
                }, scope);
                owner.Lines.Enqueue((formatter(state, exception), scope));
            }
        }
    }
}
