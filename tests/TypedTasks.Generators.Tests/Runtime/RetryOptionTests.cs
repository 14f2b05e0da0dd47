using System;
using System.IO;
using TypedTasks.Generated;

namespace TypedTasks.Generators.Tests.Runtime;

public sealed class RetryOptionTests
{
    [Fact]
    public void Every_attribute_option_becomes_a_descriptor_option()
    {
        var options = Tasks.PaymentActors.Charge.Actor.Options;

        Assert.Equal("payments.charge", Tasks.PaymentActors.Charge.Name);
        Assert.Equal("payments", Tasks.PaymentActors.Charge.Actor.Queue);
        Assert.Equal(5, options.MaxRetries);
        Assert.Equal(TimeSpan.FromSeconds(0.5), options.MinBackoff);
        Assert.Equal(TimeSpan.FromMinutes(1), options.MaxBackoff);
        Assert.Equal(TimeSpan.FromSeconds(30), options.TimeLimit);
        Assert.Equal(TimeSpan.FromHours(1), options.MaxAge);
        Assert.Equal(10, options.Priority);
        Assert.True(options.StoreResults);
        Assert.Equal(TraceParenting.Link, options.TraceParenting);
        Assert.True(options.TrackStatus);
    }

    [Fact]
    public void DoNotRetryOn_types_and_their_subclasses_are_not_retried()
    {
        var actor = Tasks.PaymentActors.Charge.Actor;

        Assert.False(actor.ShouldRetry(new ArgumentException("x")));
        Assert.False(actor.ShouldRetry(new ArgumentOutOfRangeException("x")));
        Assert.False(actor.ShouldRetry(new InvalidDataException("x")));
        Assert.True(actor.ShouldRetry(new TimeoutException()));
    }

    [Fact]
    public void Actors_without_DoNotRetryOn_retry_everything()
    {
        Assert.True(Tasks.StaticActors.Add.Actor.ShouldRetry(new ArgumentException("x")));
        Assert.Same(ActorOptions.Default, Tasks.StaticActors.Add.Actor.Options);
    }
}
