using System;
using Microsoft.Extensions.Hosting;

namespace TypedTasks.Hosting;

/// <summary>Decides which broker a host uses, or refuses to decide with a message that names the setting.</summary>
/// <remarks>
/// The in-memory broker is never a silent fallback outside Development: a production host whose Redis setting was
/// lost (a typo in an environment variable is enough) would otherwise accept tasks that no worker ever sees.
/// </remarks>
internal static class BrokerChoice
{
    public static TypedTasksBroker Choose(TypedTasksOptions options, IHostEnvironment? environment)
    {
        var hasRedis = !string.IsNullOrWhiteSpace(options.Redis);
        switch (options.Broker)
        {
            case TypedTasksBroker.Redis when !hasRedis:
                throw new InvalidOperationException(
                    "TypedTasks:Broker is Redis but TypedTasks:Redis (environment variable TypedTasks__Redis) is not set: " +
                    "set it to a StackExchange.Redis configuration string such as localhost:6379.");
            case TypedTasksBroker.InMemory when hasRedis:
                throw new InvalidOperationException(
                    "TypedTasks:Broker is InMemory but TypedTasks:Redis is set too: remove one of them " +
                    "(the in-memory broker would silently ignore that Redis).");
            case TypedTasksBroker.Redis or TypedTasksBroker.InMemory:
                return options.Broker.Value;
            case null when hasRedis:
                return TypedTasksBroker.Redis;
            case null when environment?.IsDevelopment() == true:
                return TypedTasksBroker.InMemory;
            case null:
                throw new InvalidOperationException(
                    "TypedTasks has no broker: set TypedTasks:Redis (environment variable TypedTasks__Redis) to a " +
                    "StackExchange.Redis configuration string such as localhost:6379, or choose the in-memory broker " +
                    "explicitly with TypedTasks:Broker=InMemory (TypedTasks__Broker) or UseInMemoryBroker(). Without " +
                    "either, the in-memory broker is chosen only in the Development environment, and this host's " +
                    $"environment is '{environment?.EnvironmentName ?? "unknown (no IHostEnvironment is registered)"}'.");
            default:
                throw new InvalidOperationException($"TypedTasks:Broker has an unknown value '{options.Broker}'; use Redis or InMemory.");
        }
    }
}
