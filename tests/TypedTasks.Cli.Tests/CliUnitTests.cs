using System;
using System.IO;
using TypedTasks.Cli.Commands;

namespace TypedTasks.Cli.Tests;

/// <summary>The pieces without a server: durations and the confirmation guard.</summary>
public sealed class CliUnitTests
{
    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("30s", 30_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData("15m", 900_000)]
    [InlineData("2h", 7_200_000)]
    [InlineData("7d", 604_800_000)]
    [InlineData("01:30:00", 5_400_000)]
    public void Durations_read_units_and_timespans(string text, long milliseconds)
    {
        Assert.True(Durations.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), value);
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("5x")]
    [InlineData("")]
    public void Durations_reject_what_is_not_one(string text) => Assert.False(Durations.TryParse(text, out _));

    [Fact]
    public void Yes_confirms_without_reading_anything()
    {
        var prompt = new StringWriter();
        new Confirmation(new StringReader(string.Empty), prompt, inputIsTerminal: false).Require("Purge all", yes: true);
        Assert.Equal(string.Empty, prompt.ToString());
    }

    [Fact]
    public void Without_a_terminal_the_guard_refuses_even_when_input_says_yes()
    {
        var guard = new Confirmation(new StringReader("y\n"), new StringWriter(), inputIsTerminal: false);
        var refused = Assert.Throws<CliException>(() => guard.Require("Purge all", yes: false));
        Assert.Equal(ExitCodes.NotConfirmed, refused.ExitCode);
        Assert.Contains("--yes", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("y\n", true)]
    [InlineData("YES\n", true)]
    [InlineData("n\n", false)]
    [InlineData("\n", false)]
    [InlineData("", false)]
    public void At_a_terminal_only_y_or_yes_confirms(string answer, bool confirmed)
    {
        var prompt = new StringWriter();
        var guard = new Confirmation(new StringReader(answer), prompt, inputIsTerminal: true);
        if (confirmed)
        {
            guard.Require("Purge all", yes: false);
        }
        else
        {
            Assert.Equal(ExitCodes.NotConfirmed, Assert.Throws<CliException>(() => guard.Require("Purge all", yes: false)).ExitCode);
        }

        Assert.Equal("Purge all? [y/N] ", prompt.ToString());
    }
}
