using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using TypedTasks.Brokers;
using TypedTasks.Hosting.Brokers;
using TypedTasks.Hosting.Tests.Infrastructure;

namespace TypedTasks.Hosting.Tests;

/// <summary>
/// The worker's start-up retry: failures a transport's <see cref="ITransientFailureClassifier"/> calls transient are
/// retried with a doubling, capped delay; others fail the start. The broker here is no Redis: the seam is generic.
/// </summary>
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
        builder.Services.AddSingleton<ITransientFailureClassifier, BrokerDownClassifier>();
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
        // The classifier's few words reach the one line per attempt.
        Assert.Contains(logs.Entries, static e => e.Message.EndsWith("): broker down", StringComparison.Ordinal));
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


        public ITaskStatusStore Status => _inner.Status;

        public ValueTask<string?> SendAsync(TaskMessage message, CancellationToken cancellationToken = default) => _inner.SendAsync(message, cancellationToken);

        public ValueTask<IReadOnlyList<string?>?> SendManyAsync(IReadOnlyList<TaskMessage> messages, CancellationToken cancellationToken = default) => _inner.SendManyAsync(messages, cancellationToken);

        public ValueTask<ITaskConsumer> CreateConsumerAsync(ConsumerOptions options, CancellationToken cancellationToken = default)
            => Interlocked.Increment(ref _attempts) <= failures
                ? throw new BrokerDownException()
                : _inner.CreateConsumerAsync(options, cancellationToken);

        public ValueTask DisposeAsync() => _inner.DisposeAsync();
    }

    [Fact]
    public async Task A_failure_no_classifier_calls_transient_fails_the_start_without_a_retry()
    {
        var time = new FakeTimeProvider();
        var broker = new FlakyBroker(failures: 1, time);
        var builder = TestHosts.CreateBuilder();
        builder.Services.AddSingleton<TimeProvider>(time);
        builder.Services.AddSingleton<ITaskBroker>(broker);
        builder.Services.AddTypedTasks(Tasks.Registry);
        using var host = builder.Build();
        var exitCode = Environment.ExitCode;
        try
        {
            await host.StartAsync();
            var service = host.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<TypedTasksWorkerService>().Single();

            await Assert.ThrowsAsync<BrokerDownException>(() => service.ExecuteTask!.WaitAsync(TestHosts.Timeout));
            Assert.Equal(1, broker.Attempts);
            Assert.Equal(1, Environment.ExitCode);
            await host.StopAsync();
        }
        finally
        {
            Environment.ExitCode = exitCode;
        }
    }

    private sealed class BrokerDownException() : Exception("The broker is down in this test.");

    /// <summary>What a transport registers: its own client's passing failures.</summary>
    private sealed class BrokerDownClassifier : ITransientFailureClassifier
    {
        public bool IsTransient(Exception exception, CancellationToken cancellationToken, [NotNullWhen(true)] out string? reason)
        {
            reason = exception is BrokerDownException ? "broker down" : null;
            return reason is not null;
        }
    }
}
