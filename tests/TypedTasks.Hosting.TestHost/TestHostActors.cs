using TypedTasks;

namespace TypedTasks.Hosting.TestHost;

/// <summary>Something for the worker to consume: a worker with no actors refuses to start at all.</summary>
public static class TestHostActors
{
    [Actor(Name = "testhost.echo")]
    public static int Echo(int value) => value;
}
