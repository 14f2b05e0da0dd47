using System;
using System.Buffers;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using CsCheck;
using Microsoft.Extensions.DependencyInjection;
using TypedTasks.Generated;
using TypedTasks.Generators.Tests.Actors;

namespace TypedTasks.Generators.Tests.Runtime;

/// <summary>
/// Byte-level fuzzing of the generated argument readers: valid arguments of real actors, mutated, must either run or
/// be rejected with <see cref="TaskArgumentException"/> — nothing else — and anything that is not exactly one JSON
/// object of valid UTF-8 must be rejected.
/// </summary>
/// <remarks>
/// CsCheck picks a random seed per run and, on a failure, shrinks the case and reports the seed that reproduces it.
/// <c>TYPEDTASKS_FUZZ_SEED</c> (or CsCheck's own <c>CsCheck_Seed</c>) replays a seed; <c>TYPEDTASKS_FUZZ_ITERATIONS</c>
/// runs longer (default 5,000), for example
/// <c>TYPEDTASKS_FUZZ_ITERATIONS=1000000 dotnet test tests/TypedTasks.Generators.Tests --filter ArgumentReaderFuzz</c>.
/// </remarks>
public sealed class ArgumentReaderFuzzTests
{
    private const string IterationsVariable = "TYPEDTASKS_FUZZ_ITERATIONS";
    private const string SeedVariable = "TYPEDTASKS_FUZZ_SEED";
    private const int DefaultIterations = 5_000;

    private static readonly Invoice s_invoice = new("INV-1", [new InvoiceLine("Tea", 2, 3.5m), new InvoiceLine("Café ☕", 1, 4m)], InvoiceState.Sent);

    /// <summary>Actors that cannot throw for any well-formed arguments, so every exception comes from reading them.</summary>
    private static readonly (string Actor, byte[] Arguments)[] s_validArguments =
    [
        Valid(Tasks.StaticActors.Add.Message(40, 2)),
        Valid(Tasks.StaticActors.Multiply.Message(6, 7)),
        Valid(Tasks.StaticActors.Greet.Message("Ada", "Grüß dich ✓ 😀")),
        Valid(Tasks.DefaultValueActors.Echo.Message("class", 3)),
        Valid(Tasks.DefaultValueActors.Escalate.Message(Urgency.Normal, Urgency.High)),
        Valid(Tasks.DefaultValueActors.DescribeDefaults.Message("té\"xt\n", 'x', 1, 5_000_000_000, 0.5, 1.25f, 2.5m, false, "m", Urgency.High, Urgency.Normal, 3)),
        Valid(Tasks.InvoiceActors.AdvanceInvoice.Message(InvoiceState.Draft, InvoiceState.Paid)),
        Valid(Tasks.InvoiceActors.CountPaid.Message([s_invoice, s_invoice with { State = InvoiceState.Paid }], "me")),
        Valid(Tasks.ReportActors.BuildReport.Message("r-1", 3)),
    ];

    /// <summary>Fragments that byte flips rarely produce: structure, escapes, and invalid UTF-8 sequences.</summary>
    private static readonly byte[][] s_fragments =
    [
        "\""u8.ToArray(), "\\"u8.ToArray(), "{"u8.ToArray(), "}"u8.ToArray(), "["u8.ToArray(), "]"u8.ToArray(),
        ","u8.ToArray(), ":"u8.ToArray(), "null"u8.ToArray(), "true"u8.ToArray(), "-"u8.ToArray(), "1e999"u8.ToArray(),
        "\\uD800"u8.ToArray(), "\\u0000"u8.ToArray(), "/* c */"u8.ToArray(), " \t\r\n"u8.ToArray(), "{}"u8.ToArray(),
        [0xEF, 0xBB, 0xBF],         // byte order mark
        [0xC0, 0x80],               // overlong NUL
        [0xED, 0xA0, 0x80],         // encoded surrogate
        [0xF4, 0x90, 0x80, 0x80],   // above U+10FFFF
        [0x80],                     // lone continuation byte
        [0xE2, 0x82],               // truncated sequence
        [0xF8], [0xFF], [0x00],
    ];

    private static readonly IServiceProvider s_services = new ServiceCollection().AddSingleton<IReportStore, MemoryReportStore>().BuildServiceProvider();

    /// <summary>One case: which actor, an optional replacement of one argument value, then raw byte mutations.</summary>
    private static readonly Gen<FuzzCase> s_cases = Gen.Select(
        Gen.Int[0, s_validArguments.Length - 1],
        Gen.Select(Gen.Int[-1, 15], Gen.Int[0, 1000], Gen.Int[0, 400], static (kind, property, size) => new ValueReplacement(kind, property, size)),
        Gen.Select(Gen.Int[0, 8], Gen.Int[0, 1 << 20], Gen.Int[0, 64], Gen.Int[0, 1 << 20], static (kind, position, length, choice) => new Mutation(kind, position, length, choice)).Array[0, 4],
        static (actor, replacement, mutations) => new FuzzCase(actor, replacement, mutations));

    [Fact]
    public void The_unmutated_arguments_run()
    {
        foreach (var (actor, arguments) in s_validArguments)
        {
            Assert.Null(Run(actor, arguments));
        }
    }

    [Fact]
    public void Mutated_arguments_run_or_are_rejected_as_argument_errors_only()
    {
        var iterations = int.TryParse(Environment.GetEnvironmentVariable(IterationsVariable), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : DefaultIterations;
        var seed = Environment.GetEnvironmentVariable(SeedVariable) is { Length: > 0 } fixedSeed ? fixedSeed : null;
        var accepted = 0;
        var rejected = 0;

        s_cases.Sample(
            fuzzCase =>
            {
                var (actor, bytes) = fuzzCase.Build();
                var failure = Run(actor, bytes);
                if (failure is not null and not TaskArgumentException)
                {
                    throw new InvalidOperationException($"Reading the arguments of '{actor}' threw {failure.GetType()}, not TaskArgumentException, for {Describe(bytes)}", failure);
                }

                if (failure is null && !IsExactlyOneObjectOfValidUtf8(bytes))
                {
                    throw new InvalidOperationException($"'{actor}' ran with arguments that are not exactly one JSON object of valid UTF-8: {Describe(bytes)}");
                }

                Interlocked.Increment(ref failure is null ? ref accepted : ref rejected);
            },
            seed: seed,
            iter: iterations,
            print: static fuzzCase => Describe(fuzzCase.Build().Arguments));

        // Both outcomes must be common, or the mutations are too weak (all rejected) or do nothing (all accepted).
        // Too few iterations say nothing about the mix.
        if (iterations < 1_000)
        {
            return;
        }

        Assert.True(accepted > iterations / 50, $"Only {accepted} of {iterations} mutated cases ran.");
        Assert.True(rejected > iterations / 4, $"Only {rejected} of {iterations} mutated cases were rejected.");
    }

    [Theory]
    [InlineData("""{"left":1,"right":2} trailing""")]
    [InlineData("""{"left":1,"right":2}}""")]
    [InlineData("""{"left":1,"right":2}[]""")]
    [InlineData("""{"left":1,"right":2,}""")]
    [InlineData("""{"left":1,"right":2 // comment""")]
    [InlineData("""{"left":1,"right":2}/* comment */""")]
    public void The_oracle_rejects_what_is_not_exactly_one_object(string json)
    {
        // The property test is only as strict as its oracle: pin what the oracle itself calls invalid.
        Assert.False(IsExactlyOneObjectOfValidUtf8(Encoding.UTF8.GetBytes(json)));
    }

    private static Exception? Run(string actorName, byte[] arguments)
    {
        Assert.True(Tasks.Registry.TryGetActor(actorName, out var actor));
        try
        {
            // The actors here finish synchronously or after a Task.Yield: waiting on the thread pool is safe.
            actor.InvokeAsync(new ActorInvocation(arguments, s_services, new ArrayBufferWriter<byte>(), CancellationToken.None)).AsTask().GetAwaiter().GetResult();
            return null;
        }
        catch (Exception exception)
        {
            return exception;
        }
    }

    /// <summary>The specification, written independently of the generated reader.</summary>
    private static bool IsExactlyOneObjectOfValidUtf8(byte[] bytes)
    {
        if (!System.Text.Unicode.Utf8.IsValid(bytes))
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(bytes);
            return document.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static (string Actor, byte[] Arguments) Valid(TaskRequest request) => (request.Actor, request.Arguments.ToArray());

    /// <summary>The bytes as text, with anything outside printable ASCII escaped, so a failure can be pasted into a test.</summary>
    private static string Describe(byte[] bytes)
    {
        var text = new StringBuilder(bytes.Length + 16).Append('"');
        foreach (var b in bytes.Take(600))
        {
            text.Append(b is >= 0x20 and < 0x7F and not (byte)'"' and not (byte)'\\' ? ((char)b).ToString() : $"\\x{b:X2}");
        }

        return text.Append(bytes.Length > 600 ? "\"… (" + bytes.Length + " bytes)" : "\"").ToString();
    }

    private sealed record FuzzCase(int ActorIndex, ValueReplacement Replacement, Mutation[] Mutations)
    {
        public (string Actor, byte[] Arguments) Build()
        {
            var (actor, valid) = s_validArguments[ActorIndex];
            var bytes = new List<byte>(Replacement.Apply(valid));
            foreach (var mutation in Mutations)
            {
                mutation.Apply(bytes);
            }

            return (actor, bytes.ToArray());
        }

        public override string ToString() => Describe(Build().Arguments);
    }

    /// <summary>Swaps one top-level argument value for a hostile one: deep nesting, a huge number, a bad escape.</summary>
    private readonly record struct ValueReplacement(int Kind, int Property, int Size)
    {
        public byte[] Apply(byte[] valid)
        {
            if (Kind < 0)
            {
                return valid;
            }

            // The input is still valid here, so a reader can find the value's exact span.
            var spans = new List<(int Start, int End)>();
            var reader = new Utf8JsonReader(valid);
            reader.Read();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                spans.Add((start, (int)reader.BytesConsumed));
            }

            var (from, to) = spans[Property % spans.Count];
            var depth = 1 + Size;
            var replacement = Kind switch
            {
                0 => new string('[', depth) + new string(']', depth),
                1 => string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth),
                2 => "1" + new string('0', Size),
                3 => "-" + new string('9', Size) + ".5",
                4 => "1e" + new string('9', 1 + (Size % 12)),
                5 => "0." + new string('0', Size) + "1",
                6 => "\"\\uD800\"",
                7 => "\"\\uDC00\\uD800x\"",
                8 => "\"" + new string('é', Size) + "\"",
                9 => "null",
                10 => "\"" + Size.ToString(CultureInfo.InvariantCulture) + "\"",
                11 => "[" + string.Join(",", Enumerable.Repeat("{}", Size % 50)) + "]",
                12 => "true",
                13 => "-0",
                14 => "\"\\u0000\"",
                _ => "{}",
            };
            return [.. valid.AsSpan(0, from), .. Encoding.UTF8.GetBytes(replacement), .. valid.AsSpan(to)];
        }
    }

    /// <summary>One raw edit; positions wrap around the current length, so every mutation applies to any input.</summary>
    private readonly record struct Mutation(int Kind, int Position, int Length, int Choice)
    {
        public void Apply(List<byte> bytes)
        {
            var count = bytes.Count;
            var at = count == 0 ? 0 : Position % count;
            switch (Kind)
            {
                case 0 when count > 0:
                    bytes[at] ^= (byte)(1 << (Choice % 8));
                    break;
                case 1 when count > 0:
                    bytes[at] = (byte)Choice;
                    break;
                case 2:
                    bytes.Insert(Position % (count + 1), (byte)Choice);
                    break;
                case 3 when count > 0:
                    bytes.RemoveRange(at, Math.Min(1 + (Length % 8), count - at));
                    break;
                case 4:
                    bytes.RemoveRange(Position % (count + 1), count - (Position % (count + 1)));
                    break;
                case 5 when count > 0:
                    var slice = bytes.GetRange(at, Math.Min(1 + Length, count - at));
                    bytes.InsertRange(Choice % (count + 1), slice);
                    break;
                case 6:
                    bytes.InsertRange(Position % (count + 1), s_fragments[Choice % s_fragments.Length]);
                    break;
                case 7:
                    // Trailing garbage after an otherwise untouched object.
                    bytes.AddRange(s_fragments[Choice % s_fragments.Length]);
                    break;
                case 8:
                    bytes.AddRange(Encoding.UTF8.GetBytes(" " + new string('x', Length % 4) + "}"));
                    break;
            }
        }
    }
}
