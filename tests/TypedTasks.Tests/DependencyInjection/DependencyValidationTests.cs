using System;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TypedTasks.Tests.Support;

namespace TypedTasks.Tests.DependencyInjection;

/// <summary>A worker whose container cannot build an instance actor refuses to start, naming every missing service.</summary>
public sealed class DependencyValidationTests
{
    [Fact]
    public async Task Start_fails_with_one_message_naming_every_missing_service_and_logs_one_error_per_actor()
    {
        await using var broker = new InMemoryBroker();
        await using var provider = new ServiceCollection().AddSingleton<IClock, SystemClock>().BuildServiceProvider();
        var logger = new ListLogger();
        var reports = InstanceActor("reports.build", typeof(ReportActors), typeof(IReportStore), typeof(IClock), typeof(IMailer));
        var mail = InstanceActor("mail.send", typeof(MailActors), typeof(IMailer));
        var clock = InstanceActor("clock.tick", typeof(ClockActors), typeof(IClock));
        var registry = new ActorRegistry([reports, mail, clock, TestActor.Noop("static")]);
        await using var worker = new TaskWorker(broker, registry, new WorkerOptions(), provider, logger);

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => worker.StartAsync());

        Assert.Contains($"actor 'reports.build' ({typeof(ReportActors)}) needs '{typeof(IReportStore)}', '{typeof(IMailer)}'", exception.Message, StringComparison.Ordinal);
        Assert.Contains($"actor 'mail.send' ({typeof(MailActors)}) needs '{typeof(IMailer)}'", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("clock.tick", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain($"'{typeof(IClock)}'", exception.Message, StringComparison.Ordinal);
        var errors = logger.Entries.Where(e => e.Level == LogLevel.Error).Select(e => e.Message).ToArray();
        Assert.Equal(2, errors.Length);
        Assert.Contains(errors, e => e.Contains("reports.build", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("mail.send", StringComparison.Ordinal));
        Assert.Equal(0, reports.Invocations);
    }

    [Fact]
    public async Task An_actor_type_registered_itself_needs_no_constructor_services_checked()
    {
        await using var broker = new InMemoryBroker();
        await using var provider = new ServiceCollection().AddScoped<MailActors>().BuildServiceProvider();
        var registry = new ActorRegistry([InstanceActor("mail.send", typeof(MailActors), typeof(IMailer))]);
        await using var worker = new TaskWorker(broker, registry, new WorkerOptions(), provider);

        await worker.StartAsync();
    }

    [Fact]
    public async Task Validation_can_be_turned_off()
    {
        await using var broker = new InMemoryBroker();
        await using var provider = new ServiceCollection().BuildServiceProvider();
        var registry = new ActorRegistry([InstanceActor("mail.send", typeof(MailActors), typeof(IMailer))]);
        await using var worker = new TaskWorker(broker, registry, new WorkerOptions { ValidateDependencies = false }, provider);

        await worker.StartAsync();
    }

    [Fact]
    public async Task Actors_of_queues_the_worker_does_not_consume_are_not_checked()
    {
        // Two deployments may share one registry and serve different queues with different containers.
        await using var broker = new InMemoryBroker();
        await using var provider = new ServiceCollection().BuildServiceProvider();
        var registry = new ActorRegistry([InstanceActor("mail.send", typeof(MailActors), typeof(IMailer), queue: "mail"), TestActor.Noop("ping")]);
        await using var worker = new TaskWorker(broker, registry, new WorkerOptions { Queues = [TaskMessage.DefaultQueue] }, provider);

        await worker.StartAsync();
    }

    private static TestActor InstanceActor(string name, Type instance, params Type[] needs) => InstanceActor(name, instance, needs, TaskMessage.DefaultQueue);

    private static TestActor InstanceActor(string name, Type instance, Type needs, string queue) => InstanceActor(name, instance, [needs], queue);

    private static TestActor InstanceActor(string name, Type instance, Type[] needs, string queue) =>
        new(name, static _ => ValueTask.CompletedTask, queue: queue) { Instance = instance, Needs = needs };

    private interface IReportStore;

    private interface IMailer;

    private interface IClock;

    private sealed class SystemClock : IClock;

    private sealed class ReportActors;

    private sealed class MailActors;

    private sealed class ClockActors;
}
