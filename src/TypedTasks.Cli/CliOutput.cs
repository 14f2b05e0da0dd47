using System;
using System.IO;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Spectre.Console;

namespace TypedTasks.Cli;

/// <summary>Where a command writes: tables through Spectre.Console, JSON and plain lines straight to stdout (never
/// wrapped or styled, so scripts can parse them), errors to stderr.</summary>
internal sealed class CliOutput
{
    // Redirected output has no width to measure: wide enough that a dead letter's message is not folded mid-word.
    private const int RedirectedWidth = 200;

    public CliOutput(IAnsiConsole console, TextWriter output, TextWriter error)
    {
        Console = console;
        Out = output;
        Error = error;
    }

    /// <summary>For people: tables, the live view.</summary>
    public IAnsiConsole Console { get; }

    /// <summary>For scripts: JSON and plain lines.</summary>
    public TextWriter Out { get; }

    public TextWriter Error { get; }

    public static CliOutput ForSystemConsole()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(System.Console.Out),
        });
        if (System.Console.IsOutputRedirected)
        {
            console.Profile.Width = RedirectedWidth;
        }

        return new CliOutput(console, System.Console.Out, System.Console.Error);
    }

    public void WriteJson<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        Out.WriteLine(JsonSerializer.Serialize(value, typeInfo));
        Out.Flush();
    }

    public void WriteLine(string line)
    {
        Out.WriteLine(line);
        Out.Flush();
    }
}
