using System.Text;
using System.Threading.Tasks;
using TypedTasks.Generators.Tests.Actors;
using TypedTasks.Generated;

namespace TypedTasks.Generators.Tests.Runtime;

public sealed class DefaultValueActorTests
{
    private const string AllDefaults = "quote \" backslash \\ newline \n|'|-1|5000000000|1.5|0.25|3.50|true|null|Low|null|7";

    [Fact]
    public async Task Stub_defaults_equal_the_method_defaults()
    {
        var message = Tasks.DefaultValueActors.DescribeDefaults.Message();

        Assert.Equal(AllDefaults, await ActorInvoker.InvokeAsync(message, TypedTasksJsonContext.Default.String));
        Assert.Equal(AllDefaults, DefaultValueActors.DescribeDefaults());
    }

    [Fact]
    public async Task Missing_arguments_take_the_method_defaults()
    {
        var result = await ActorInvoker.InvokeRawAsync("DescribeDefaults", "{}");

        Assert.Equal(AllDefaults, System.Text.Json.JsonSerializer.Deserialize(result, TypedTasksJsonContext.Default.String));
    }

    [Fact]
    public async Task Given_arguments_override_the_defaults()
    {
        var message = Tasks.DefaultValueActors.DescribeDefaults.Message(number: 3, missing: "here", urgency: Urgency.High, maybe: Urgency.Normal, count: null);

        var result = await ActorInvoker.InvokeAsync(message, TypedTasksJsonContext.Default.String);

        Assert.Equal("quote \" backslash \\ newline \n|'|3|5000000000|1.5|0.25|3.50|true|here|High|Normal|null", result);
    }

    [Fact]
    public async Task Keyword_parameter_names_are_escaped_in_code_and_plain_in_json()
    {
        var message = Tasks.DefaultValueActors.Echo.Message("x");

        Assert.Equal("""{"class":"x","event":2}""", Encoding.UTF8.GetString(message.Arguments.Span));
        Assert.Equal("x2", await ActorInvoker.InvokeAsync(message, TypedTasksJsonContext.Default.String));
    }

    [Fact]
    public async Task Enums_without_declared_metadata_round_trip_with_reflection_disabled()
    {
        Assert.False(System.Text.Json.JsonSerializer.IsReflectionEnabledByDefault);

        var message = Tasks.DefaultValueActors.Escalate.Message(Urgency.Low, Urgency.Normal);
        Assert.Equal("""{"urgency":-1,"ceiling":0}""", Encoding.UTF8.GetString(message.Arguments.Span));

        var result = await ActorInvoker.InvokeAsync(message);
        Assert.Equal("0", Encoding.UTF8.GetString(result));
        Assert.Equal(Urgency.High, DefaultValueActors.Escalate(Urgency.Normal));
        Assert.Equal("1", Encoding.UTF8.GetString(await ActorInvoker.InvokeRawAsync("Escalate", """{"urgency":0,"ceiling":null}""")));
    }
}
