using System;
using System.Globalization;
using CsCheck;
using TypedTasks.Redis.Internal;

namespace TypedTasks.Redis.Tests.Fuzzing;

/// <summary>
/// Byte-level fuzzing of the envelope decoder, without a server: whatever an entry holds, decoding returns a message
/// that obeys the protocol or a permanent, classified error — it never throws.
/// </summary>
public sealed class EnvelopeFuzzUnitTests
{
    private static readonly long Iterations = long.TryParse(
        Environment.GetEnvironmentVariable("TYPEDTASKS_FUZZ_ITERATIONS"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 300;

    [Fact]
    public void Decoding_any_entry_yields_a_valid_message_or_a_classified_error_and_never_throws()
    {
        // CsCheck picks the fuzzer seeds and prints the failing one (and its own seed to replay the run).
        Gen.Int[0, int.MaxValue].Sample(
            seed =>
            {
                var fuzzer = new EntryFuzzer(seed, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                for (var i = 0; i < 20; i++)
                {
                    var entry = fuzzer.Next();
                    bool decoded;
                    TaskMessage? message;
                    TaskError? error;
                    try
                    {
                        decoded = EnvelopeCodec.TryDecode("q", entry, 64 * 1024, out message, out _, out error);
                    }
                    catch (Exception ex)
                    {
                        throw new InvalidOperationException($"Fuzzer seed {seed}, entry {i}: decoding threw {ex.GetType().Name}: {ex.Message}", ex);
                    }

                    if (decoded)
                    {
                        Assert.True(WireNames.IsValid(message!.Id), $"seed {seed}: invalid id '{message.Id}' decoded");
                        Assert.True(WireNames.IsValid(message.Actor), $"seed {seed}: invalid actor '{message.Actor}' decoded");
                        Assert.True(message.Attempt >= 1, $"seed {seed}: attempt {message.Attempt} decoded");
                    }
                    else
                    {
                        Assert.NotNull(error);
                        Assert.True(
                            error.Reason is DeadLetterReason.MalformedMessage or DeadLetterReason.TooLarge,
                            $"seed {seed}: unexpected reason {error.Reason}");
                        Assert.False(string.IsNullOrWhiteSpace(error.Message), $"seed {seed}: an error without a message");
                    }
                }
            },
            iter: Iterations);
    }

    [Fact]
    public void The_valid_entries_of_the_fuzzer_decode()
    {
        var fuzzer = new EntryFuzzer(7, 1_732_467_000_000);
        for (var i = 0; i < 50; i++)
        {
            Assert.True(EnvelopeCodec.TryDecode("q", fuzzer.Valid(), 64 * 1024, out var message, out _, out var error), error?.Message);
            Assert.Equal("fuzz.echo", message!.Actor);
        }
    }
}
