using System;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;

namespace TypedTasks.Cli.Tests;

[Collection(StandaloneCollection.Name)]
public sealed class DeadLetterCommandTests(StandaloneRedis redis)
{
    [Fact]
    public async Task List_json_shows_each_dead_letter_with_its_id_task_reason_and_error()
    {
        await using var deployment = new Deployment(redis);
        var queue = TestMessages.Queue();
        var declined = await deployment.DeadLetterAsync(queue, "orders.pay", DeadLetterReason.RetriesExhausted, "card declined");
        var invalid = await deployment.DeadLetterAsync(queue, "orders.ship", DeadLetterReason.NonRetryable, "no address");

        var page = (await deployment.RunAsync("dead-letters", "list", "--queue", queue, "--json")).Json();

        Assert.Equal(queue, page.GetProperty("queue").GetString());
        Assert.Equal(2, page.GetProperty("count").GetInt32());
        Assert.Equal(JsonValueKind.Null, page.GetProperty("next").ValueKind);
        var items = page.GetProperty("items").EnumerateArray().ToArray();
        Assert.Equal([declined.Id, invalid.Id], items.Select(i => i.GetProperty("taskId").GetString()));
        Assert.Equal(["orders.pay", "orders.ship"], items.Select(i => i.GetProperty("actor").GetString()));
        Assert.Equal(["RetriesExhausted", "NonRetryable"], items.Select(i => i.GetProperty("reason").GetString()));
        Assert.Equal(["card declined", "no address"], items.Select(i => i.GetProperty("message").GetString()));
        Assert.All(items, i => Assert.Equal("Orders.PaymentDeclinedException", i.GetProperty("errorType").GetString()));
        Assert.All(items, i => Assert.Equal(1, i.GetProperty("attempt").GetInt32()));
        Assert.All(items, i => Assert.Equal(queue, i.GetProperty("queue").GetString()));
        var stored = await deployment.Broker.DeadLetters.ListAsync(queue);
        Assert.Equal(stored.Select(d => d.Id), items.Select(i => i.GetProperty("id").GetString()));
        Assert.Equal(
            stored.Select(d => d.DeadLetteredAt.ToUnixTimeMilliseconds()),
            items.Select(i => i.GetProperty("deadLetteredAt").GetDateTimeOffset().ToUnixTimeMilliseconds()));
    }

    [Fact]
    public async Task List_filters_by_reason_and_actor_and_pages_with_after()
    {
        await using var deployment = new Deployment(redis);
        var queue = TestMessages.Queue();
        var first = await deployment.DeadLetterAsync(queue, "a.one", DeadLetterReason.RetriesExhausted, "x");
        await deployment.DeadLetterAsync(queue, "a.two", DeadLetterReason.NonRetryable, "y");
        var third = await deployment.DeadLetterAsync(queue, "a.one", DeadLetterReason.NonRetryable, "z");

        var byReason = (await deployment.RunAsync("dead-letters", "list", "-q", queue, "--reason", "nonretryable", "--json")).Json();
        Assert.Equal(2, byReason.GetProperty("count").GetInt32());
        var byBoth = (await deployment.RunAsync("dead-letters", "list", "-q", queue, "--reason", "NonRetryable", "--actor", "a.one", "--json")).Json();
        Assert.Equal([third.Id], byBoth.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("taskId").GetString()));
        var none = (await deployment.RunAsync("dead-letters", "list", "-q", queue, "--older-than", "1h", "--json")).Json();
        Assert.Equal(0, none.GetProperty("count").GetInt32());

        var page1 = (await deployment.RunAsync("dead-letters", "list", "-q", queue, "--limit", "1", "--actor", "a.one", "--json")).Json();
        Assert.Equal([first.Id], page1.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("taskId").GetString()));
        var next = page1.GetProperty("next").GetString()!;
        var page2 = (await deployment.RunAsync("dead-letters", "list", "-q", queue, "--limit", "1", "--actor", "a.one", "--after", next, "--json")).Json();
        Assert.Equal([third.Id], page2.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("taskId").GetString()));
    }

    [Fact]
    public async Task List_table_and_show_print_the_id_people_need_to_act_on()
    {
        await using var deployment = new Deployment(redis);
        var queue = TestMessages.Queue();
        var task = await deployment.DeadLetterAsync(queue, "orders.pay", DeadLetterReason.RetriesExhausted, "card [declined]");
        var id = (await deployment.Broker.DeadLetters.ListAsync(queue)).Single().Id;

        var table = await deployment.RunAsync("dead-letters", "list", "-q", queue);
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Contains(id, table.Out, StringComparison.Ordinal);
        Assert.Contains(task.Id, table.Out, StringComparison.Ordinal);
        Assert.Contains("card [declined]", table.Out, StringComparison.Ordinal); // shown as text, not read as markup
        Assert.Contains($"1 dead letter(s) in '{queue}'", table.Out, StringComparison.Ordinal);

        var show = (await deployment.RunAsync("dead-letters", "show", id, "-q", queue, "--json")).Json();
        Assert.Equal(id, show.GetProperty("id").GetString());
        Assert.Equal(task.Id, show.GetProperty("taskId").GetString());
        Assert.Equal("""{"order":42}""", show.GetProperty("arguments").GetString());
        Assert.Contains("at Orders.Pay()", show.GetProperty("stackTrace").GetString(), StringComparison.Ordinal);

        var text = await deployment.RunAsync("dead-letters", "show", id, "-q", queue);
        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains("""{"order":42}""", text.Out, StringComparison.Ordinal);
        Assert.Contains("at Orders.Pay()", text.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Requeue_by_id_sends_the_task_back_as_a_first_attempt()
    {
        await using var deployment = new Deployment(redis);
        var queue = TestMessages.Queue();
        var task = await deployment.DeadLetterAsync(queue, "orders.pay", DeadLetterReason.RetriesExhausted, "declined");
        var id = (await deployment.Broker.DeadLetters.ListAsync(queue)).Single().Id;

        var change = (await deployment.RunAsync("dead-letters", "requeue", id, "-q", queue, "--json")).Json();

        Assert.Equal("requeued", change.GetProperty("action").GetString());
        Assert.Equal(1, change.GetProperty("count").GetInt64());
        Assert.Equal([id], change.GetProperty("ids").EnumerateArray().Select(i => i.GetString()));
        Assert.Empty(await deployment.Broker.DeadLetters.ListAsync(queue));
        var consumer = await deployment.ConsumerAsync("requeue-check", queue);
        var delivery = await consumer.ReceiveOneAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(task.Id, delivery?.Message.Id);
        Assert.Equal(1, delivery!.Message.Attempt);
    }

    [Fact]
    public async Task Requeue_and_purge_by_filter_or_all_refuse_without_yes_when_stdin_is_not_a_terminal()
    {
        await using var deployment = new Deployment(redis);
        var queue = TestMessages.Queue();
        await deployment.DeadLetterAsync(queue, "a.one", DeadLetterReason.RetriesExhausted, "x");
        await deployment.DeadLetterAsync(queue, "a.two", DeadLetterReason.NonRetryable, "y");

        foreach (var arguments in new[]
        {
            new[] { "dead-letters", "requeue", "-q", queue, "--all" },
            ["dead-letters", "requeue", "-q", queue, "--reason", "NonRetryable"],
            ["dead-letters", "purge", "-q", queue, "--all"],
            ["dead-letters", "purge", "-q", queue, "--actor", "a.one"],
        })
        {
            // Even an answer on stdin does not count: a script's input is not a person's consent.
            var refused = await CliProcess.RunAsync(deployment.Args(arguments), environment: null, input: "y\n");
            Assert.True(refused.ExitCode == ExitCodes.NotConfirmed, refused.ToString());
            Assert.Contains("--yes", refused.Error, StringComparison.Ordinal);
            Assert.Single(refused.Error.TrimEnd().Split('\n'));
            Assert.Equal(2, (await deployment.Broker.DeadLetters.ListAsync(queue)).Count);
        }

        var requeued = (await deployment.RunAsync("dead-letters", "requeue", "-q", queue, "--reason", "NonRetryable", "--yes", "--json")).Json();
        Assert.Equal(1, requeued.GetProperty("count").GetInt64());
        var purged = (await deployment.RunAsync("dead-letters", "purge", "-q", queue, "--all", "--yes", "--json")).Json();
        Assert.Equal(1, purged.GetProperty("count").GetInt64());
        Assert.Empty(await deployment.Broker.DeadLetters.ListAsync(queue));
    }

    [Fact]
    public async Task Unknown_dead_letter_ids_exit_4_and_change_nothing()
    {
        await using var deployment = new Deployment(redis);
        var queue = TestMessages.Queue();
        await deployment.DeadLetterAsync(queue, "a.one", DeadLetterReason.RetriesExhausted, "x");
        var id = (await deployment.Broker.DeadLetters.ListAsync(queue)).Single().Id;

        var show = await deployment.RunAsync("dead-letters", "show", "1-1", "-q", queue);
        Assert.True(show.ExitCode == ExitCodes.NotFound, show.ToString());
        Assert.Contains("no dead letter '1-1'", show.Error, StringComparison.Ordinal);

        var requeue = await deployment.RunAsync("dead-letters", "requeue", id, "not-an-id", "-q", queue);
        Assert.True(requeue.ExitCode == ExitCodes.NotFound, requeue.ToString());
        Assert.Single(await deployment.Broker.DeadLetters.ListAsync(queue));
    }

    [Fact]
    public async Task Selecting_nothing_or_two_ways_is_a_usage_error()
    {
        await using var deployment = new Deployment(redis);
        var none = await deployment.RunAsync("dead-letters", "requeue", "-q", "q");
        Assert.True(none.ExitCode == ExitCodes.Usage, none.ToString());
        var two = await deployment.RunAsync("dead-letters", "purge", "1-1", "--all", "-q", "q", "--yes");
        Assert.True(two.ExitCode == ExitCodes.Usage, two.ToString());
        var badDuration = await deployment.RunAsync("dead-letters", "list", "-q", "q", "--older-than", "soon");
        Assert.True(badDuration.ExitCode == ExitCodes.Usage, badDuration.ToString());
        Assert.Contains("not a positive duration", badDuration.Error, StringComparison.Ordinal);
        await deployment.SendAsync("q");
        var badCursor = await deployment.RunAsync("dead-letters", "list", "-q", "q", "--after", "bogus");
        Assert.True(badCursor.ExitCode == ExitCodes.Usage, badCursor.ToString());
        Assert.StartsWith("typedtasks: 'bogus' is not a dead-letter id", badCursor.Error, StringComparison.Ordinal);
        Assert.Single(badCursor.Error.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task A_dead_letter_without_a_decodable_message_cannot_be_requeued_but_can_be_purged_by_id()
    {
        await using var deployment = new Deployment(redis);
        var queue = TestMessages.Queue();
        // A producer that wrote no actor: the consumer dead-letters the entry itself as MalformedMessage.
        await redis.Db.StreamAddAsync($"{{{deployment.Prefix}:{queue}}}:stream", [new("id", "raw-1"), new("args", "{}")]);
        var consumer = await deployment.ConsumerAsync("malformed-reader", queue);
        _ = await consumer.ReceiveOneAsync(TimeSpan.FromMilliseconds(500));
        await Eventually.UntilAsync(async () => (await deployment.Broker.DeadLetters.ListAsync(queue)).Count == 1, "the malformed entry was dead-lettered");
        var id = (await deployment.Broker.DeadLetters.ListAsync(queue)).Single().Id;

        var listed = (await deployment.RunAsync("dead-letters", "list", "-q", queue, "--json")).Json().GetProperty("items")[0];
        Assert.Equal(("MalformedMessage", "raw-1"), (listed.GetProperty("reason").GetString(), listed.GetProperty("taskId").GetString()));
        var requeue = await deployment.RunAsync("dead-letters", "requeue", id, "-q", queue);
        Assert.True(requeue.ExitCode == ExitCodes.Failure, requeue.ToString());
        Assert.Contains("cannot be requeued, only purged", requeue.Error, StringComparison.Ordinal);
        Assert.Single(await deployment.Broker.DeadLetters.ListAsync(queue));

        var purge = (await deployment.RunAsync("dead-letters", "purge", id, "-q", queue, "--yes", "--json")).Json();
        Assert.Equal([id], purge.GetProperty("ids").EnumerateArray().Select(i => i.GetString()));
        Assert.Empty(await deployment.Broker.DeadLetters.ListAsync(queue));
    }
}
