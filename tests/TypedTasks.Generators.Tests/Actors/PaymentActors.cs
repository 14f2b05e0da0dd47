using System;
using System.IO;

namespace TypedTasks.Generators.Tests.Actors;

/// <summary>An actor with every option set.</summary>
public static class PaymentActors
{
    /// <summary>Charges an account.</summary>
    /// <param name="account">The account.</param>
    /// <param name="amount">How much; must be positive.</param>
    [Actor(
        Name = "payments.charge",
        Queue = "payments",
        MaxRetries = 5,
        MinBackoffSeconds = 0.5,
        MaxBackoffSeconds = 60,
        TimeLimitSeconds = 30,
        MaxAgeSeconds = 3600,
        Priority = 10,
        StoreResults = true,
        TraceParenting = TraceParenting.Link,
        TrackStatus = true,
        DoNotRetryOn = [typeof(ArgumentException), typeof(InvalidDataException)])]
    public static void Charge(string account, decimal amount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(amount);
        ArgumentException.ThrowIfNullOrEmpty(account);
    }
}
