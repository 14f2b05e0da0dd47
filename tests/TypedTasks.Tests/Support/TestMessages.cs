using System.Text;

namespace TypedTasks.Tests.Support;

internal static class TestMessages
{
    public static TaskMessage Create(string actor, string json = "{}", string queue = TaskMessage.DefaultQueue, SendOptions? options = null) =>
        TaskMessages.Create(actor, queue, Encoding.UTF8.GetBytes(json), options);
}
