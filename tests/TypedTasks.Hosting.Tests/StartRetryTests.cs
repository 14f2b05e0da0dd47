using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;
using TypedTasks.Brokers;
using TypedTasks.Hosting.Tests.Infrastructure;

namespace TypedTasks.Hosting.Tests;

/// <summary>The worker's start-up retry: transient failures are retried with a doubling, capped delay.</summary>
public sealed class StartRetryTests
{
    [Fact]
    public async Task Transient_consumer_creation_failures_are_retried_with_a_doubling_capped_delay_until_the_worker_starts()
    {
        var time = new FakeTimeProvider();
        var broker = new FlakyBroker(failures: 7, time);
        var logs = new CollectingLoggerProvider();
        var builder = TestHosts.CreateBuilder();
        builder.Logging.AddProvider(logs);
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddSingleton<ITaskBroker>(broker);
        builder.Services.AddTypedTasks(Tasks.Registry);
        using var host = builder.Build();
        await host.StartAsync();

        using var done = new CancellationTokenSource();
        var clock = AdvanceUntilCancelledAsync(time, done.Token);
        var reached = await logs.WaitForAsync("TypedTasks worker reached", TestHosts.Timeout);
        await done.CancelAsync();
        await clock;
        var handle = await Tasks.HostingActors.Add.SendAsync(host.Services.GetRequiredService<ITaskClient>(), 1, 1);

        var delays = logs.Entries
            .Select(static e => Regex.Match(e.Message, @"\(attempt (\d+), retrying in (\d+) s\)"))
            .Where(static m => m.Success)
            .Select(static m => int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture))
            .ToArray();
        Assert.Equal(new[] { 1, 2, 4, 8, 15, 15, 15 }, delays);
        Assert.Contains("(attempt 8)", reached.Message, StringComparison.Ordinal);
        Assert.Equal(8, broker.Attempts);
        Assert.Equal(2, await handle.GetResultAsync(TestHosts.Timeout));
        await host.StopAsync();
    }

    /// <summary>Moves fake time on in one-second steps, so every delay the worker starts ends soon after.</summary>
    private static async Task AdvanceUntilCancelledAsync(FakeTimeProvider time, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            time.Advance(TimeSpan.FromSeconds(1));
            try
            {
                await Task.Delay(5, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>An in-memory broker whose first consumers fail the way Redis does while it is down.</summary>
    private sealed class FlakyBroker(int failures, TimeProvider time) : ITaskBroker
    {
        private readonly InMemoryBroker _inner = new(time);
        private int _attempts;

        public int Attempts => Volatile.Read(ref _attempts);

        public ITaskResultStore Results => _inner.Results;

        public IDeadLetterStore DeadLetters => _inner.DeadLetters;

        public ValueTask SendAsync(TaskMessage message, CancellationToken cancellationToken = default) => _inner.SendAsync(message, cancellationToken);

        public ValueTask SendManyAsync(IReadOnlyList<TaskMessage> messages, CancellationToken cancellationToken = default) => _inner.SendManyAsync(messages, cancellationToken);

        public ValueTask<ITaskConsumer> CreateConsumerAsync(ConsumerOptions options, CancellationToken cancellationToken = default)
            => Interlocked.Increment(ref _attempts) <= failures
                ? throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, "Redis is down in this test.")
                : _inner.CreateConsumerAsync(options, cancellationToken);

        public ValueTask DisposeAsync() => _inner.DisposeAsync();
    }
}
