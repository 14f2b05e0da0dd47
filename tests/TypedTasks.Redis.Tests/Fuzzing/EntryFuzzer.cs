using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using StackExchange.Redis;

namespace TypedTasks.Redis.Tests.Fuzzing;

/// <summary>
/// A seeded generator of stream entries a foreign or broken producer might write: valid tasks, random field sets,
/// invalid UTF-8 anywhere, ids and names of every length, odd numbers, every JSON shape for <c>args</c> and <c>h</c>,
/// duplicate and unknown fields, thousands of fields, oversized entries, and byte-level mutations of valid entries.
/// The same seed gives the same entries, so a failure is reproduced from the seed the test prints.
/// </summary>
public sealed class EntryFuzzer(int seed, long nowMs, string actor = "fuzz.echo")
{
    private static readonly string[] KnownFields = ["id", "actor", "args", "attempt", "enq", "due", "h", "dc"];

    private readonly Random _random = new(seed);
    private int _counter;

    public int Seed => seed;

    /// <summary>The next entry.</summary>
    public NameValueEntry[] Next() => _random.Next(14) switch
    {
        0 or 1 => Valid(),
        2 => Mutated(Valid(), 1 + _random.Next(3)),
        3 => RandomFields(),
        4 => WithField(Valid(), "args", ArgsShape()),
        5 => WithField(Valid(), "h", HeaderShape()),
        6 => WithField(Valid(), Pick("id", "actor"), NameShape()),
        7 => WithField(Valid(), Pick("attempt", "enq", "due", "dc"), NumberShape()),
        8 => WithField(Valid(), "due", DueShape()),
        9 => Duplicated(Valid()),
        10 => WithManyFields(Valid()),
        11 => WithField(Valid(), "args", Bytes("{\"n\":1,\"pad\":\"" + new string('x', 70_000 + _random.Next(50_000)) + "\"}")),
        12 => Missing(Valid()),
        _ => WithField(Valid(), RandomName(), RandomBytes(_random.Next(40))),
    };

    /// <summary>A well-formed entry for the echo actor, due now.</summary>
    public NameValueEntry[] Valid()
    {
        var n = _counter++;
        var fields = new List<NameValueEntry>
        {
            new("id", "f" + seed.ToString(CultureInfo.InvariantCulture) + "-" + n.ToString(CultureInfo.InvariantCulture)),
            new("actor", actor),
            new("args", Bytes("{\"n\":" + n.ToString(CultureInfo.InvariantCulture) + "}")),
            new("attempt", 1),
            new("enq", nowMs),
        };
        if (_random.Next(4) == 0)
        {
            fields.Add(new("h", Bytes("{\"traceparent\":\"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01\"}")));
        }

        return [.. fields];
    }

    private NameValueEntry[] Mutated(NameValueEntry[] entry, int mutations)
    {
        var copy = entry.ToArray();
        for (var m = 0; m < mutations; m++)
        {
            var index = _random.Next(copy.Length);
            var mutateName = _random.Next(5) == 0;
            var bytes = (byte[])(mutateName ? copy[index].Name : copy[index].Value)!;
            var mutated = MutateBytes(bytes);
            copy[index] = mutateName ? new NameValueEntry(mutated, copy[index].Value) : new NameValueEntry(copy[index].Name, mutated);
        }

        return copy;
    }

    private byte[] MutateBytes(byte[] bytes)
    {
        var list = bytes.ToList();
        switch (_random.Next(7))
        {
            case 0 when list.Count > 0:
                list[_random.Next(list.Count)] ^= (byte)(1 << _random.Next(8));
                break;
            case 1:
                list.Insert(_random.Next(list.Count + 1), (byte)_random.Next(256));
                break;
            case 2 when list.Count > 0:
                list.RemoveAt(_random.Next(list.Count));
                break;
            case 3:
                list = list.Take(_random.Next(list.Count + 1)).ToList();
                break;
            case 4:
                list.InsertRange(_random.Next(list.Count + 1), InvalidUtf8());
                break;
            case 5:
                list.AddRange(Bytes(Pick(" trailing", "}", "{}", "\0", " ")));
                break;
            default:
                list.InsertRange(_random.Next(list.Count + 1), list.Take(_random.Next(list.Count + 1)).ToList());
                break;
        }

        return [.. list];
    }

    private NameValueEntry[] RandomFields()
    {
        var count = _random.Next(10);
        var fields = new NameValueEntry[Math.Max(1, count)];
        for (var i = 0; i < fields.Length; i++)
        {
            var name = _random.Next(3) == 0 ? RandomName() : (RedisValue)Pick(KnownFields);
            fields[i] = new NameValueEntry(name, _random.Next(3) == 0 ? RandomBytes(_random.Next(64)) : Bytes(Pick("1", "0", "", "{}", actor, "-1", "x")));
        }

        return fields;
    }

    private RedisValue ArgsShape() => Bytes(_random.Next(22) switch
    {
        0 => "{\"n\":1} trailing",
        1 => "{\"n\":1}}",
        2 => "[1]",
        3 => "\"n\"",
        4 => "1",
        5 => "null",
        6 => "",
        7 => "{\"n\":1.5}",
        8 => "{\"n\":99999999999999999999}",
        9 => "{\"n\":\"1\"}",
        10 => "{\"n\":1,\"n\":2}",
        11 => "{\"n\":1,\"note\":\"\\ud800\"}",
        12 => new string('[', 5000),
        13 => "{\"n\":" + new string('[', 200) + "1" + new string(']', 200) + "}",
        14 => "{}",
        15 => "{\"n\":1,\"extra\":{\"deep\":[1,2,{\"x\":null}]}}",
        16 => "{\"n\":1 /* c */}",
        17 => "{'n':1}",
        18 => "{\"n\":1,}",
        19 => "{\"n\":-0}",
        20 => "\uFEFF{\"n\":1}",
        _ => "{\"n\":1,\"note\":\"ok\"}",
    }).Concat(_random.Next(6) == 0 ? InvalidUtf8() : []).ToArray();

    private RedisValue HeaderShape() => _random.Next(12) switch
    {
        0 => Concat("{\"", InvalidUtf8(), "\":\"v\"}"),
        1 => Concat("{\"k\":\"", InvalidUtf8(), "\"}"),
        2 => Bytes("{\"k\":1}"),
        3 => Bytes("{\"k\":{\"x\":\"y\"}}"),
        4 => Bytes("[\"k\",\"v\"]"),
        5 => Bytes("{\"k\":\"\\ud800\"}"),
        6 => Bytes("{\"k\":\"v\"} x"),
        7 => Bytes(""),
        8 => Bytes("{}"),
        9 => Bytes("{\"k\":null}"),
        10 => Bytes("{\"k\":\"v\",\"k\":\"w\"}"),
        _ => Bytes("{\"tracestate\":\"a=b\"}"),
    };

    private RedisValue NameShape() => _random.Next(9) switch
    {
        0 => Bytes(""),
        1 => Bytes(new string('a', 129)),
        2 => Bytes(new string('a', 128)),
        3 => Bytes(new string('i', 100_000)),
        4 => Concat("id-", InvalidUtf8(), ""),
        5 => Bytes("with space"),
        6 => Bytes("{braces}"),
        7 => Bytes("ünïcode"),
        _ => Bytes("ok.name:1-2_3"),
    };

    private RedisValue NumberShape() => Bytes(Pick(
        "0", "-1", "2147483648", "9223372036854775808", "1e3", " 1", "1 ", "+1", "0x10", "", "1.0", "٣", "-9223372036854775808",
        "253402300800000", "-62135596800001", "1"));

    private RedisValue DueShape() => _random.Next(5) switch
    {
        0 => nowMs - _random.Next(1, 86_400_000),
        1 => nowMs + _random.Next(100, 2_000),
        2 => nowMs + 86_400_000L * 365 * _random.Next(1, 100),
        3 => Bytes("soon"),
        _ => nowMs,
    };

    private NameValueEntry[] WithField(NameValueEntry[] entry, RedisValue name, RedisValue value)
    {
        var fields = entry.Where(f => f.Name != name).ToList();
        fields.Insert(_random.Next(fields.Count + 1), new NameValueEntry(name, value));
        return [.. fields];
    }

    private NameValueEntry[] Duplicated(NameValueEntry[] entry)
    {
        var pick = entry[_random.Next(entry.Length)];
        return [.. entry, new NameValueEntry(pick.Name, _random.Next(2) == 0 ? pick.Value : RandomBytes(8))];
    }

    private NameValueEntry[] Missing(NameValueEntry[] entry)
    {
        var drop = _random.Next(entry.Length);
        return [.. entry.Where((_, i) => i != drop)];
    }

    private NameValueEntry[] WithManyFields(NameValueEntry[] entry)
    {
        var count = _random.Next(2) == 0 ? 300 + _random.Next(100) : 4_000 + _random.Next(2_000);
        return [.. entry, .. Enumerable.Range(0, count).Select(i => new NameValueEntry("u" + i.ToString(CultureInfo.InvariantCulture), i))];
    }

    private RedisValue RandomName() => _random.Next(3) == 0 ? RandomBytes(1 + _random.Next(8)) : Bytes(Pick("x", "raw", "x_reason", "ID", "id ", "arg", "h2"));

    private byte[] RandomBytes(int length)
    {
        var bytes = new byte[length];
        _random.NextBytes(bytes);
        return bytes;
    }

    private byte[] InvalidUtf8() => _random.Next(6) switch
    {
        0 => [0xFF],
        1 => [0xC3],
        2 => [0xE2, 0x82],
        3 => [0xED, 0xA0, 0x80],
        4 => [0xC0, 0xAF],
        _ => [0xF8, 0x88, 0x80, 0x80, 0x80],
    };

    private string Pick(params string[] options) => options[_random.Next(options.Length)];

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static byte[] Concat(string before, byte[] middle, string after) => [.. Bytes(before), .. middle, .. Bytes(after)];
}
