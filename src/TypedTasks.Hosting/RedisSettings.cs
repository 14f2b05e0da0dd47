using System.Collections.Generic;
using System.Net;

namespace TypedTasks.Hosting;

/// <summary>What the hosting integration reads from a Redis configuration: endpoints to name.</summary>
internal static class RedisSettings
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
                DnsEndPoint dns => dns.Host + ":" + dns.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                _ => endpoint.ToString() ?? "?",
            });
        }

        return string.Join(",", parts);
    }
}
