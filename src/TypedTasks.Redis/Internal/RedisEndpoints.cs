using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;

namespace TypedTasks.Redis.Internal;

/// <summary>What log lines and messages say about a Redis configuration: endpoints to name, an explicit abortConnect.</summary>
internal static class RedisEndpoints
{
    /// <summary><c>host:port</c> list for log lines and messages (never the password: only endpoints are read).</summary>
    public static string Describe(IEnumerable<EndPoint> endpoints)
    {
        var parts = new List<string>();
        foreach (var endpoint in endpoints)
        {
            parts.Add(endpoint switch
            {
                // DnsEndPoint.ToString() prefixes the address family ("Unspecified/redis:6379").
                DnsEndPoint dns => dns.Host + ":" + dns.Port.ToString(CultureInfo.InvariantCulture),
                _ => endpoint.ToString() ?? "?",
            });
        }

        return string.Join(",", parts);
    }

    /// <summary>Whether the configuration string sets <c>abortConnect</c> itself (either value).</summary>
    /// <remarks>StackExchange.Redis reads options as comma-separated <c>key=value</c> pairs with case-insensitive keys.</remarks>
    public static bool NamesAbortConnect(string configuration)
    {
        foreach (var part in configuration.Split(','))
        {
            var option = part.AsSpan().Trim();
            var equals = option.IndexOf('=');
            if (equals > 0 && option[..equals].Trim().Equals("abortConnect", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
