using System;
using System.Buffers;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using TypedTasks.Generated;

namespace TypedTasks.Generators.Tests.Runtime;

/// <summary>The generated code of actors that take a <see cref="TaskProgress"/> or set <c>TrackStatus</c>.</summary>
public sealed class ProgressActorTests
{
    [Fact]
    public void A_progress_parameter_is_not_an_argument_and_marks_the_descriptor()
    {
        var request = Tasks.ProgressActors.Import.Message(3);

        Assert.Equal("""{"rows":3}""", Encoding.UTF8.GetString(request.Arguments.Span));
        Assert.True(Tasks.ProgressActors.Import.Actor.ReportsProgress);
        Assert.False(Tasks.ProgressActors.Touch.Actor.ReportsProgress);
        Assert.False(Tasks.StaticActors.Add.Actor.ReportsProgress);
    }

    [Fact]
    public void TrackStatus_on_the_actor_tracks_its_requests_unless_the_send_says_otherwise()
    {
        Assert.True(Tasks.ProgressActors.Touch.Actor.Options.TrackStatus);
        Assert.True(Tasks.ProgressActors.Touch.Message("a").TrackStatus);
        Assert.False(Tasks.ProgressActors.Touch.Message("a", new SendOptions { TrackStatus = false }).TrackStatus);
        Assert.Null(Tasks.StaticActors.Add.Message(1, 2).TrackStatus);
        Assert.True(Tasks.StaticActors.Add.Message(1, 2, new SendOptions { TrackStatus = true }).TrackStatus);
        Assert.False(Tasks.StaticActors.Add.Actor.Options.TrackStatus);
    }

    [Fact]
    public async Task The_invocation_s_reporter_reaches_the_actor()
    {
        await using var broker = new InMemoryBroker();
        var progress = new TaskProgress(broker.Status, "task-1", TimeSpan.FromMinutes(1));
        var result = new ArrayBufferWriter<byte>();
        Assert.True(Tasks.Registry.TryGetActor(Tasks.ProgressActors.Import.Name, out var actor));

        await actor.InvokeAsync(new ActorInvocation(Tasks.ProgressActors.Import.Message(4).Arguments, null, result, CancellationToken.None) { Progress = progress });
        await progress.FlushAsync();

        Assert.Equal("4", Encoding.UTF8.GetString(result.WrittenSpan));
        var reported = await broker.Status.GetProgressAsync("task-1");
        Assert.NotNull(reported);
        Assert.Equal(100, reported.Percent);
        Assert.Equal("row 4", reported.Message);
    }

    [Fact]
    public async Task Without_a_reporter_the_actor_gets_one_that_discards()
    {
        var bytes = await ActorInvoker.InvokeAsync(Tasks.ProgressActors.Import.Message(2));

        Assert.Equal("2", Encoding.UTF8.GetString(bytes));
    }
}
