using System.Threading.Tasks;

namespace TypedTasks.Generators.Tests.Actors;

/// <summary>Actors whose sends are unique by arguments: until the outcome, or for a window.</summary>
public static class UniqueActors
{
    /// <summary>Rebuilds one customer's report; an equal request while one is queued or running is a duplicate.</summary>
    [Actor(Name = "unique.rebuild", Unique = true)]
    public static Task<int> Rebuild(int customerId) => Task.FromResult(customerId);

    /// <summary>Sends at most one digest per address every ten minutes.</summary>
    [Actor(Name = "unique.digest", UniqueForSeconds = 600)]
    public static void Digest(string address) => _ = address;

    /// <summary>Unique by arguments and tracked: the stub asks for both in one request.</summary>
    [Actor(Name = "unique.tracked", Unique = true, TrackStatus = true)]
    public static Task<int> Tracked(int id) => Task.FromResult(id);
}
