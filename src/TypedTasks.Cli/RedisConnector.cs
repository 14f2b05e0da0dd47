using System;
using System.Globalization;
using System.Threading.Tasks;
using StackExchange.Redis;

namespace TypedTasks.Cli;

/// <summary>
/// Connects the way a command-line tool should: fail fast with one line when Redis is not there, rather than retry
/// in the background like a long-running worker (which is what <c>RedisBroker.ConnectAsync</c> does).
/// </summary>
internal static class RedisConnector
{
    /// <summary>Used when neither <c>--redis</c> nor <c>TYPEDTASKS_REDIS</c> says where Redis is.</summary>
    public const string DefaultConfiguration = "localhost:6379";

    /// <summary>The connect timeout unless the configuration string sets <c>connectTimeout=</c>.</summary>
    public static readonly TimeSpan DefaultConnectTimeout = TimeSpan.FromSeconds(3);

    public static async Task<ConnectionMultiplexer> ConnectAsync(string configuration)
    {
        ConfigurationOptions options;
        try
        {
            options = ConfigurationOptions.Parse(configuration);
        }
        catch (ArgumentException ex)
        {
            throw CliException.Usage($"invalid Redis configuration '{configuration}': {ex.Message}");
        }

        if (options.EndPoints.Count == 0)
        {
            throw CliException.Usage($"invalid Redis configuration '{configuration}': it names no endpoint (host:port)");
        }

        // The string's own settings win; only what it leaves unset is tightened for a one-shot command.
        if (!Mentions(configuration, "connectTimeout"))
        {
            options.ConnectTimeout = (int)DefaultConnectTimeout.TotalMilliseconds;
        }

        if (!Mentions(configuration, "abortConnect"))
        {
            options.AbortOnConnectFail = true;
        }

        if (!Mentions(configuration, "connectRetry"))
        {
            options.ConnectRetry = 1;
        }

        if (!Mentions(configuration, "name"))
        {
            options.ClientName = "typedtasks-cli";
        }

        try
        {
            return await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false);
        }
        catch (RedisConnectionException ex) when (ex.FailureType == ConnectionFailureType.AuthenticationFailure)
        {
            throw new CliException(
                ExitCodes.Unreachable,
                $"Redis at {Describe(options)} refused the credentials ({ex.FailureType}); check user= and password= in --redis or TYPEDTASKS_REDIS");
        }
        catch (RedisConnectionException ex)
        {
            throw new CliException(
                ExitCodes.Unreachable,
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"cannot reach Redis at {Describe(options)} within {options.ConnectTimeout / 1000.0:0.#} s ({ex.FailureType}); set --redis or TYPEDTASKS_REDIS"));
        }
    }

    private static bool Mentions(string configuration, string key)
    {
        foreach (var part in configuration.Split(','))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0 && part.AsSpan(0, equals).Trim().Equals(key, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static string Describe(ConfigurationOptions options)
    {
        var endpoints = new string[options.EndPoints.Count];
        for (var i = 0; i < endpoints.Length; i++)
        {
            endpoints[i] = Format(options.EndPoints[i]);
        }

        return string.Join(",", endpoints);
    }

    private static string Format(System.Net.EndPoint endPoint) => endPoint switch
    {
        System.Net.DnsEndPoint dns => dns.Host + ":" + dns.Port.ToString(CultureInfo.InvariantCulture),
        _ => endPoint.ToString() ?? "?",
    };
}
