using System;
using System.Security.Cryptography;
using System.Text;

namespace TypedTasks;

/// <summary>Derives the unique key of a send that is unique by actor and arguments.</summary>
internal static class UniqueKeys
{
    /// <summary>
    /// <c>args:</c> and the first 128 bits of SHA-256 over the actor's name, a zero byte and the argument bytes, in hex.
    /// Generated stubs write arguments in parameter order with the same serializer, so equal arguments give equal bytes.
    /// </summary>
    public static string ForArguments(string actor, ReadOnlySpan<byte> arguments)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes(actor));
        hash.AppendData([0]);
        hash.AppendData(arguments);
        Span<byte> digest = stackalloc byte[32];
        hash.GetHashAndReset(digest);
        return "args:" + Convert.ToHexStringLower(digest[..16]);
    }
}
