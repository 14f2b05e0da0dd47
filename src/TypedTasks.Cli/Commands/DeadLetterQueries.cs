using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using TypedTasks.Cli.Output;

namespace TypedTasks.Cli.Commands;

/// <summary>The dead-letter reads and changes behind the commands (temporary: on IDeadLetterStore until the monitoring API lands).</summary>
internal static class DeadLetterQueries
{
    private const int ScanLimit = 100_000;

    public static async Task<DeadLetterPageView> PageAsync(CommandContext context, string queue, DeadLetterFilter filter, string? after, int limit, CancellationToken cancellationToken)
    {
        var all = await context.Broker.DeadLetters.ListAsync(queue, ScanLimit, cancellationToken).ConfigureAwait(false);
        var now = DateTimeOffset.UtcNow;
        var items = new List<DeadLetterView>();
        var started = after is null;
        string? next = null;
        foreach (var letter in all)
        {
            if (!started)
            {
                started = letter.Id == after;
                continue;
            }

            if (!Matches(letter, filter, now))
            {
                continue;
            }

            if (items.Count == limit)
            {
                next = items[^1].Id;
                break;
            }

            items.Add(DeadLetterView.From(letter));
        }

        return new DeadLetterPageView(queue, items.Count, items, next);
    }

    public static async Task<DeadLetter> FindAsync(CommandContext context, string queue, string id, CancellationToken cancellationToken)
    {
        foreach (var letter in await context.Broker.DeadLetters.ListAsync(queue, ScanLimit, cancellationToken).ConfigureAwait(false))
        {
            if (letter.Id == id)
            {
                return letter;
            }
        }

        throw CliException.NotFound($"no dead letter '{id}' in queue '{queue}'");
    }

    public static async Task<ChangeView> RequeueAsync(CommandContext context, string queue, DeadLetterSelection selection, CancellationToken cancellationToken)
    {
        var ids = await SelectAsync(context, queue, selection, cancellationToken).ConfigureAwait(false);
        var done = new List<string>();
        foreach (var id in ids)
        {
            if (await context.Broker.DeadLetters.RequeueAsync(queue, id, cancellationToken).ConfigureAwait(false))
            {
                done.Add(id);
            }
        }

        return new ChangeView("requeued", queue, done.Count, done);
    }

    public static async Task<ChangeView> PurgeAsync(CommandContext context, string queue, DeadLetterSelection selection, CancellationToken cancellationToken)
    {
        if (!selection.All)
        {
            throw new CliException("purging selected dead letters needs the monitoring API");
        }

        var count = await context.Broker.DeadLetters.PurgeAsync(queue, cancellationToken).ConfigureAwait(false);
        return new ChangeView("purged", queue, count, null);
    }

    private static async Task<IReadOnlyList<string>> SelectAsync(CommandContext context, string queue, DeadLetterSelection selection, CancellationToken cancellationToken)
    {
        var all = await context.Broker.DeadLetters.ListAsync(queue, ScanLimit, cancellationToken).ConfigureAwait(false);
        var byId = new Dictionary<string, DeadLetter>(StringComparer.Ordinal);
        foreach (var letter in all)
        {
            byId[letter.Id] = letter;
        }

        if (selection.IsByIds)
        {
            foreach (var id in selection.Ids)
            {
                if (!byId.ContainsKey(id))
                {
                    throw CliException.NotFound($"no dead letter '{id}' in queue '{queue}'; nothing was changed");
                }
            }

            return selection.Ids;
        }

        var now = DateTimeOffset.UtcNow;
        var ids = new List<string>();
        foreach (var letter in all)
        {
            if (selection.All || Matches(letter, selection.Filter, now))
            {
                ids.Add(letter.Id);
            }
        }

        return ids;
    }

    private static bool Matches(DeadLetter letter, DeadLetterFilter filter, DateTimeOffset now) =>
        (filter.Reason is not { } reason || letter.Error.Reason == reason)
        && (filter.Actor is not { } actor || string.Equals(letter.Message?.Actor, actor, StringComparison.Ordinal))
        && (filter.OlderThan is not { } olderThan || now - letter.DeadLetteredAt > olderThan);
}
