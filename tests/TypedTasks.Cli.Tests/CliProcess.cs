using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace TypedTasks.Cli.Tests;

/// <summary>What one run of the tool printed and returned.</summary>
public sealed record CliRun(int ExitCode, string Out, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Out}\n--- stderr ---\n{Error}";

    /// <summary>Asserts exit 0 and parses stdout as JSON.</summary>
    public JsonElement Json()
    {
        Assert.True(ExitCode == 0, "expected success, got " + this);
        using var document = JsonDocument.Parse(Out);
        return document.RootElement.Clone();
    }
}

/// <summary>
/// Runs the built tool (src/TypedTasks.Cli's output, the same files <c>dotnet pack</c> puts in the tool package) as
/// a separate process, the way a person or a script does: stdin redirected (so never a terminal), the Redis
/// environment variables cleared unless the test sets them.
/// </summary>
public static class CliProcess
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static string Dll { get; } = FindDll();

    public static Task<CliRun> RunAsync(params string[] arguments) => RunAsync(arguments, environment: null, input: null);

    public static async Task<CliRun> RunAsync(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment, string? input)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Dll);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment.Remove("TYPEDTASKS_REDIS");
        info.Environment.Remove("TYPEDTASKS_PREFIX");
        if (environment is not null)
        {
            foreach (var (name, value) in environment)
            {
                info.Environment[name] = value;
            }
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
        }

        process.StandardInput.Close();
        using var cts = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"typedtasks {string.Join(' ', arguments)} did not exit within {Timeout}");
        }

        return new CliRun(process.ExitCode, await output, await error);
    }

    // tests/TypedTasks.Cli.Tests/bin/<Configuration>/<tfm>/ -> src/TypedTasks.Cli/bin/<Configuration>/<tfm>/
    private static string FindDll()
    {
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var tfm = here.Name;
        var configuration = here.Parent!.Name;
        var root = here.Parent.Parent!.Parent!.Parent!.Parent!.FullName;
        var dll = Path.Combine(root, "src", "TypedTasks.Cli", "bin", configuration, tfm, "TypedTasks.Cli.dll");
        return File.Exists(dll) ? dll : throw new FileNotFoundException("The tool was not built", dll);
    }
}
