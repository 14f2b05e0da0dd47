namespace TypedTasks.Redis.Tests.Infrastructure;

// xUnit finds collection definitions only in the test assembly itself; the fixtures live in TypedTasks.Testing.
[CollectionDefinition(Name)]
public sealed class StandaloneCollection : ICollectionFixture<StandaloneRedis>
{
    public const string Name = "standalone redis";
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterRedis>
{
    public const string Name = "redis cluster";
}
