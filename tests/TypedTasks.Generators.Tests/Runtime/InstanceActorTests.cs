using System;
using System.Threading.Tasks;
using Microsoft.Extensions.DependencyInjection;
using TypedTasks.Generators.Tests.Actors;
using TypedTasks.Generated;

namespace TypedTasks.Generators.Tests.Runtime;

/// <summary>Instance actors: resolved from the container, or built from their constructor's services.</summary>
public sealed class InstanceActorTests
{
    [Fact]
    public async Task Instance_is_built_from_constructor_services_of_a_hand_written_provider()
    {
        var store = new MemoryReportStore();
        var services = new DictionaryServiceProvider { [typeof(IReportStore)] = store };

        var content = await ActorInvoker.InvokeAsync(Tasks.ReportActors.BuildReport.Message("r1", 3), TypedTasksJsonContext.Default.String, services);

        Assert.Equal("r1:3:no-clock", content);
        Assert.Equal(content, store.Find("r1"));
    }

    [Fact]
    public async Task Optional_constructor_service_is_used_when_registered()
    {
        var services = new DictionaryServiceProvider
        {
            [typeof(IReportStore)] = new MemoryReportStore(),
            [typeof(IClock)] = new FixedClock(new DateTimeOffset(2031, 1, 1, 0, 0, 0, TimeSpan.Zero)),
        };

        Assert.Equal("r2:1:2031", await ActorInvoker.InvokeAsync(Tasks.ReportActors.BuildReport.Message("r2", 1), TypedTasksJsonContext.Default.String, services));
    }

    [Fact]
    public async Task Missing_constructor_service_names_it_and_is_never_retried()
    {
        // A container that lacks a service will lack it on every retry: the task fails at once.
        var exception = await Assert.ThrowsAsync<NonRetryableException>(() =>
            ActorInvoker.InvokeAsync(Tasks.ReportActors.BuildReport.Message("r3", 1), new DictionaryServiceProvider()));

        Assert.Contains("needs the service 'TypedTasks.Generators.Tests.Actors.IReportStore'", exception.Message);
    }

    [Fact]
    public async Task Instance_actor_without_services_fails_clearly_and_is_never_retried()
    {
        var exception = await Assert.ThrowsAsync<NonRetryableException>(() => ActorInvoker.InvokeAsync(Tasks.Counter.Increment.Message(1)));

        Assert.Equal("Actor 'Increment' is an instance method of 'TypedTasks.Generators.Tests.Actors.Counter' and needs a service provider, but the invocation has none.", exception.Message);
    }

    [Fact]
    public async Task Unregistered_type_is_built_per_invocation_and_a_registered_one_is_reused()
    {
        var empty = new DictionaryServiceProvider();
        Assert.Equal(5, await ActorInvoker.InvokeAsync(Tasks.Counter.Increment.Message(5), TypedTasksJsonContext.Default.Int32, empty));
        Assert.Equal(5, await ActorInvoker.InvokeAsync(Tasks.Counter.Increment.Message(5), TypedTasksJsonContext.Default.Int32, empty));

        await using var container = new ServiceCollection().AddSingleton<Counter>().BuildServiceProvider();
        Assert.Equal(5, await ActorInvoker.InvokeAsync(Tasks.Counter.Increment.Message(5), TypedTasksJsonContext.Default.Int32, container));
        Assert.Equal(10, await ActorInvoker.InvokeAsync(Tasks.Counter.Increment.Message(5), TypedTasksJsonContext.Default.Int32, container));
    }

    [Fact]
    public async Task Dependencies_come_from_Microsoft_Extensions_DependencyInjection_too()
    {
        var store = new MemoryReportStore();
        await using var container = new ServiceCollection().AddSingleton<IReportStore>(store).BuildServiceProvider();

        await ActorInvoker.InvokeAsync(Tasks.ReportActors.BuildReport.Message("r4", 2), container);

        Assert.Equal("r4:2:no-clock", store.Find("r4"));
    }

    [Fact]
    public async Task A_worker_dead_letters_a_task_whose_service_is_missing_after_one_attempt()
    {
        // The actor allows 3 retries, but a container that lacks a service lacks it on every retry.
        await using var broker = new InMemoryBroker();
        await using var container = new ServiceCollection().BuildServiceProvider();
        await Tasks.ReportActors.BuildReport.SendAsync(broker.CreateClient(), "r5", 1);
        var options = new InMemoryRunOptions { FailFast = false, Worker = new WorkerOptions { ValidateDependencies = false } };

        await broker.RunUntilIdleAsync(Tasks.Registry, options, container);

        var deadLetter = Assert.Single(broker.GetDeadLetters());
        Assert.Equal(DeadLetterReason.NonRetryable, deadLetter.Error.Reason);
        Assert.Equal(1, deadLetter.Message!.Attempt);
        Assert.Contains("needs the service 'TypedTasks.Generators.Tests.Actors.IReportStore'", deadLetter.Error.Message);
    }

    [Fact]
    public async Task A_worker_whose_container_lacks_a_constructor_service_refuses_to_start()
    {
        await using var broker = new InMemoryBroker();
        await using var container = new ServiceCollection().BuildServiceProvider();
        await using var worker = new TaskWorker(broker, Tasks.Registry, new WorkerOptions(), container);

        var exception = await Assert.ThrowsAsync<InvalidOperationException>(() => worker.StartAsync());

        Assert.Contains("actor 'reports.build' (TypedTasks.Generators.Tests.Actors.ReportActors) needs 'TypedTasks.Generators.Tests.Actors.IReportStore'", exception.Message);
        Assert.DoesNotContain("Increment", exception.Message);   // no constructor services: always buildable

        await using var complete = new ServiceCollection().AddSingleton<IReportStore, MemoryReportStore>().BuildServiceProvider();
        await using var healthy = new TaskWorker(broker, Tasks.Registry, new WorkerOptions(), complete);
        await healthy.StartAsync();
    }

    [Fact]
    public void Descriptors_list_the_instance_type_and_the_required_constructor_services()
    {
        Assert.Equal(typeof(ReportActors), Tasks.ReportActors.BuildReport.Actor.InstanceType);
        Assert.Equal([typeof(IReportStore)], Tasks.ReportActors.BuildReport.Actor.Dependencies);   // IClock has a default: optional

        Assert.Equal(typeof(Counter), Tasks.Counter.Increment.Actor.InstanceType);
        Assert.Empty(Tasks.Counter.Increment.Actor.Dependencies);

        Assert.Null(Tasks.StaticActors.Add.Actor.InstanceType);
        Assert.Empty(Tasks.StaticActors.Add.Actor.Dependencies);
    }

    [Fact]
    public void Options_come_from_the_attribute()
    {
        Assert.Equal("reports", Tasks.ReportActors.BuildReport.Actor.Queue);
        Assert.Equal(3, Tasks.ReportActors.BuildReport.Actor.Options.MaxRetries);
        Assert.Null(Tasks.ReportActors.BuildReport.Actor.Options.MinBackoff);
    }

    private sealed class DictionaryServiceProvider : System.Collections.Generic.Dictionary<Type, object>, IServiceProvider
    {
        public object? GetService(Type serviceType) => TryGetValue(serviceType, out var service) ? service : null;
    }

    private sealed class FixedClock(DateTimeOffset now) : IClock
    {
        public DateTimeOffset Now { get; } = now;
    }
}
