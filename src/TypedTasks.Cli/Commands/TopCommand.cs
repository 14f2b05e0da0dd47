using System;
using System.CommandLine;
using System.Threading;
using System.Threading.Tasks;
using Spectre.Console;
using TypedTasks.Cli.Output;

namespace TypedTasks.Cli.Commands;

/// <summary>
/// <c>top</c>: queues and workers, refreshed in place every <c>--interval</c> until Ctrl+C or <c>q</c>. When stdout is
/// not a terminal (a pipe, a file, a test) each refresh is printed below the previous one instead, and
/// <c>--iterations</c> bounds the run.
/// </summary>
internal static class TopCommand
{
    private static readonly TimeSpan KeyPollInterval = TimeSpan.FromMilliseconds(100);

    public static Command Create(GlobalOptions options)
    {
        var interval = new Option<TimeSpan>("--interval", "-i")
        {
            Description = "Time between refreshes (500ms, 2s, 1m)",
            HelpName = "duration",
            DefaultValueFactory = _ => TimeSpan.FromSeconds(2),
            CustomParser = static result => Durations.Parse(result),
        };
        var iterations = new Option<int>("--iterations", "-n")
        {
            Description = "Exit after this many refreshes (0: run until Ctrl+C or q)",
            DefaultValueFactory = _ => 0,
        };
        iterations.Validators.Add(static result =>
        {
            if (result.GetValueOrDefault<int>() < 0)
            {
                result.AddError("--iterations must be 0 or more.");
            }
        });

        var command = new Command("top", "A live view of queues and workers, refreshed every --interval; q or Ctrl+C to quit") { interval, iterations };
        command.SetRunner(options, async (context, parseResult, cancellationToken) =>
        {
            var every = parseResult.GetValue(interval);
            var count = parseResult.GetValue(iterations);
            var target = $"{context.Broker} prefix {context.Broker.Options.KeyPrefix}";
            try
            {
                if (Console.IsOutputRedirected)
                {
                    await PrintFramesAsync(context, target, every, count, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await LiveAsync(context, target, every, count, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Ctrl+C is how a person leaves top: not a failure.
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task PrintFramesAsync(CommandContext context, string target, TimeSpan interval, int iterations, CancellationToken cancellationToken)
    {
        for (var i = 1; iterations == 0 || i <= iterations; i++)
        {
            var snapshot = await MonitorSnapshot.ReadAsync(context, cancellationToken).ConfigureAwait(false);
            context.Output.Console.Write(MonitorTables.Frame(snapshot.Stats, snapshot.Workers.Workers, target));
            context.Output.Console.WriteLine();
            if (i != iterations && await WaitAsync(interval, cancellationToken).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    private static async Task LiveAsync(CommandContext context, string target, TimeSpan interval, int iterations, CancellationToken cancellationToken)
    {
        var first = await MonitorSnapshot.ReadAsync(context, cancellationToken).ConfigureAwait(false);
        await context.Output.Console.Live(MonitorTables.Frame(first.Stats, first.Workers.Workers, target))
            .AutoClear(false)
            .Overflow(VerticalOverflow.Ellipsis)
            .StartAsync(async live =>
            {
                for (var i = 1; iterations == 0 || i < iterations; i++)
                {
                    if (await WaitAsync(interval, cancellationToken).ConfigureAwait(false))
                    {
                        return;
                    }

                    var snapshot = await MonitorSnapshot.ReadAsync(context, cancellationToken).ConfigureAwait(false);
                    live.UpdateTarget(MonitorTables.Frame(snapshot.Stats, snapshot.Workers.Workers, target));
                }
            }).ConfigureAwait(false);
    }

    /// <summary>Waits one interval; true when the person pressed q (only read from a terminal).</summary>
    private static async Task<bool> WaitAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        if (Console.IsInputRedirected)
        {
            await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
            return false;
        }

        var deadline = DateTime.UtcNow + interval;
        while (DateTime.UtcNow < deadline)
        {
            while (Console.KeyAvailable)
            {
                if (Console.ReadKey(intercept: true).Key is ConsoleKey.Q or ConsoleKey.Escape)
                {
                    return true;
                }
            }

            var left = deadline - DateTime.UtcNow;
            await Task.Delay(left < KeyPollInterval ? (left > TimeSpan.Zero ? left : TimeSpan.Zero) : KeyPollInterval, cancellationToken).ConfigureAwait(false);
        }

        return false;
    }
}
