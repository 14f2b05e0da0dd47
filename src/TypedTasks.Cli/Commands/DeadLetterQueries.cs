using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using TypedTasks.Cli.Output;
using TypedTasks.Monitoring;

namespace TypedTasks.Cli.Commands;

/// <summary>
/// The dead-letter reads and changes behind the commands, all through the broker's <see cref="IDeadLetterStore"/>
/// (the one owner of dead-letter operations): this class only checks names first, so a typo reports "unknown" and
/// changes nothing. The changes expect the caller to have checked the queue (<see cref="RequireQueueAsync"/>).
/// </summary>
internal static class DeadLetterQueries
{
    public static async Task<DeadLetterPageView> PageAsync(CommandContext context, string queue, DeadLetterFilter? filter, string? after, int limit, CancellationToken cancellationToken)
    {
        await RequireQueueAsync(context, queue, cancellationToken).ConfigureAwait(false);
        var page = await context.Monitor.DeadLetters.ListPageAsync(
            queue, new DeadLetterQuery { After = after, Count = limit, Filter = filter }, cancellationToken).ConfigureAwait(false);
        var items = new DeadLetterView[page.Items.Count];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = DeadLetterView.From(page.Items[i]);
        }

        return new DeadLetterPageView(queue, items.Length, items, page.Next);
    }

    public static async Task<DeadLetter> FindAsync(CommandContext context, string queue, string id, CancellationToken cancellationToken)
    {
        await RequireQueueAsync(context, queue, cancellationToken).ConfigureAwait(false);
        return await context.Monitor.DeadLetters.GetAsync(queue, id, cancellationToken).ConfigureAwait(false)
            ?? throw CliException.NotFound($"no dead letter '{id}' in queue '{queue}'");
    }

    public static async Task<ChangeView> RequeueAsync(CommandContext context, string queue, DeadLetterSelection selection, CancellationToken cancellationToken)
    {
        var store = context.Monitor.DeadLetters;
        if (!selection.IsByIds)
        {
            var count = await store.RequeueMatchingAsync(queue, selection.Filter ?? DeadLetterFilter.All, cancellationToken).ConfigureAwait(false);
            return new ChangeView("requeued", queue, count, null);
        }

        // Every id is checked before the first changes, so a typo in the third id does not leave two requeued.
        foreach (var letter in await FindAllAsync(context, queue, selection.Ids, cancellationToken).ConfigureAwait(false))
        {
            if (letter.Message is null)
            {
                throw new CliException(
                    ExitCodes.Failure,
                    $"dead letter '{letter.Id}' holds no decodable message ({letter.Error.Reason}), so it cannot be requeued, only purged; nothing was changed");
            }
        }

        var done = new List<string>(selection.Ids.Count);
        foreach (var id in selection.Ids)
        {
            if (!await store.RequeueAsync(queue, id, cancellationToken).ConfigureAwait(false))
            {
                throw new CliException(ExitCodes.Failure, $"dead letter '{id}' could not be requeued (gone meanwhile?); requeued before it: {Joined(done)}");
            }

            done.Add(id);
        }

        return new ChangeView("requeued", queue, done.Count, done);
    }

    public static async Task<ChangeView> PurgeAsync(CommandContext context, string queue, DeadLetterSelection selection, CancellationToken cancellationToken)
    {
        var store = context.Monitor.DeadLetters;
        if (!selection.IsByIds)
        {
            var count = selection.Filter is { } filter
                ? await store.PurgeMatchingAsync(queue, filter, cancellationToken).ConfigureAwait(false)
                : await store.PurgeAsync(queue, cancellationToken).ConfigureAwait(false);
            return new ChangeView("purged", queue, count, null);
        }

        await FindAllAsync(context, queue, selection.Ids, cancellationToken).ConfigureAwait(false);
        var done = new List<string>(selection.Ids.Count);
        foreach (var id in selection.Ids)
        {
            if (await store.DeleteAsync(queue, id, cancellationToken).ConfigureAwait(false))
            {
                done.Add(id);
            }
        }

        return new ChangeView("purged", queue, done.Count, done);
    }

    /// <summary>Exit 4 for a queue the deployment never saw: far likelier a typo (or a wrong --prefix) than an empty queue.</summary>
    public static async Task<QueueInfo> RequireQueueAsync(CommandContext context, string queue, CancellationToken cancellationToken) =>
        await context.Monitor.GetQueueAsync(queue, cancellationToken).ConfigureAwait(false)
            ?? throw CliException.NotFound($"unknown queue '{queue}' (known: {Joined(await context.Monitor.GetQueueNamesAsync(cancellationToken).ConfigureAwait(false))}); check --prefix");

    private static async Task<IReadOnlyList<DeadLetter>> FindAllAsync(CommandContext context, string queue, IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        var letters = new DeadLetter[ids.Count];
        for (var i = 0; i < ids.Count; i++)
        {
            letters[i] = await context.Monitor.DeadLetters.GetAsync(queue, ids[i], cancellationToken).ConfigureAwait(false)
                ?? throw CliException.NotFound($"no dead letter '{ids[i]}' in queue '{queue}'; nothing was changed");
        }

        return letters;
    }

    private static string Joined(IReadOnlyList<string> names) => names.Count == 0 ? "none" : string.Join(", ", names);
}
