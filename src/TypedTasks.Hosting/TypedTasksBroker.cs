namespace TypedTasks.Hosting;

/// <summary>The brokers <see cref="TypedTasksOptions.Broker"/> can choose.</summary>
public enum TypedTasksBroker
{
    /// <summary>Redis Streams at <see cref="TypedTasksOptions.Redis"/>, which must be set.</summary>
    Redis = 1,

    /// <summary>The in-memory broker: tasks live in this process only (tests, demos, single-process tools).</summary>
    InMemory = 2,
}
