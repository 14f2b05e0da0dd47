namespace TypedTasks.Cli.Tests;

/// <summary>One redis-server for every standalone test class; each test uses a key prefix of its own.</summary>
[CollectionDefinition(Name)]
public sealed class StandaloneCollection : ICollectionFixture<StandaloneRedis>
{
    public const string Name = "CLI against a standalone Redis";
}
