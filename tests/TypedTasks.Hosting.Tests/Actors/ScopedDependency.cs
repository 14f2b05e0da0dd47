using System;
using System.Collections.Concurrent;

namespace TypedTasks.Hosting.Tests.Actors;

/// <summary>A scoped service that records its own identity and whether its scope disposed it.</summary>
public sealed class ScopedDependency : IDisposable
{
    public static ConcurrentDictionary<string, bool> Disposed { get; } = new();

    public string Id { get; } = Guid.NewGuid().ToString("N");

    public void Dispose() => Disposed[Id] = true;
}
