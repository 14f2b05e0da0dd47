using System.Threading.Tasks;

namespace TypedTasks.Generators.Tests.Runtime;

/// <summary>Bad argument bytes become <see cref="TaskArgumentException"/>s that say what is wrong.</summary>
public sealed class ArgumentErrorTests
{
    [Fact]
    public async Task Invalid_json_is_an_argument_error()
    {
        var exception = await Assert.ThrowsAsync<TaskArgumentException>(() => ActorInvoker.InvokeRawAsync("Add", """{"left":1,"""));

        Assert.StartsWith("The arguments of actor 'Add' are not valid JSON:", exception.Message);
        Assert.IsAssignableFrom<System.Text.Json.JsonException>(exception.InnerException);
    }

    [Theory]
    [InlineData("[1,2]")]
    [InlineData("null")]
    [InlineData("42")]
    public async Task Arguments_that_are_not_an_object_are_an_argument_error(string json)
    {
        var exception = await Assert.ThrowsAsync<TaskArgumentException>(() => ActorInvoker.InvokeRawAsync("Add", json));

        Assert.Equal("The arguments of actor 'Add' must be a JSON object.", exception.Message);
    }

    [Fact]
    public async Task Missing_required_argument_names_the_parameter()
    {
        var exception = await Assert.ThrowsAsync<TaskArgumentException>(() => ActorInvoker.InvokeRawAsync("Add", """{"left":1}"""));

        Assert.Equal("The arguments of actor 'Add' have no value for the required parameter 'right'.", exception.Message);
    }

    [Fact]
    public async Task Wrong_type_names_the_parameter()
    {
        var exception = await Assert.ThrowsAsync<TaskArgumentException>(() => ActorInvoker.InvokeRawAsync("Add", """{"left":"one","right":2}"""));

        Assert.StartsWith("The argument 'left' of actor 'Add' is not valid:", exception.Message);
    }

    [Fact]
    public async Task Null_for_a_non_nullable_reference_parameter_is_an_argument_error()
    {
        var exception = await Assert.ThrowsAsync<TaskArgumentException>(() => ActorInvoker.InvokeRawAsync("greet", """{"name":null}"""));

        Assert.Equal("The argument 'name' of actor 'greet' must not be null.", exception.Message);
    }

    [Theory]
    [InlineData("""{"left":"40","right":2}""", "42")]   // a number in a string: the serializer's web defaults accept it
    public async Task Built_in_types_read_directly_still_accept_what_the_serializer_accepts(string json, string expected)
    {
        var result = await ActorInvoker.InvokeRawAsync("Add", json);

        Assert.Equal(expected, System.Text.Encoding.UTF8.GetString(result));
    }

    [Theory]
    [InlineData("""{"left":1.5,"right":2}""")]
    [InlineData("""{"left":4e1,"right":2}""")]
    [InlineData("""{"left":99999999999,"right":2}""")]
    [InlineData("""{"left":true,"right":2}""")]
    public async Task Built_in_types_read_directly_still_reject_what_the_serializer_rejects(string json)
    {
        var exception = await Assert.ThrowsAsync<TaskArgumentException>(() => ActorInvoker.InvokeRawAsync("Add", json));

        Assert.StartsWith("The argument 'left' of actor 'Add' is not valid:", exception.Message);
    }

    [Fact]
    public async Task Unknown_properties_are_skipped_and_order_does_not_matter()
    {
        var result = await ActorInvoker.InvokeRawAsync("Add", """{"extra":{"nested":[1,{"a":2}]},"right":2,"left":40}""");

        Assert.Equal("42", System.Text.Encoding.UTF8.GetString(result));
    }

    [Fact]
    public async Task Invalid_utf8_in_a_string_argument_is_an_argument_error()
    {
        // "\xC3\x28" is a two-byte lead followed by a byte that cannot continue it.
        byte[] json = [.. "{\"name\":\""u8, 0xC3, 0x28, .. "\"}"u8];

        var exception = await Assert.ThrowsAsync<TaskArgumentException>(() => ActorInvoker.InvokeRawAsync("greet", json));

        Assert.Equal("The arguments of actor 'greet' are not valid UTF-8.", exception.Message);
    }

    [Fact]
    public async Task Invalid_utf8_in_a_property_name_is_an_argument_error()
    {
        // The name matches no parameter, so the reader would skip it without ever transcoding it.
        byte[] json = [.. "{\"left\":40,\"right\":2,\""u8, 0xFF, 0xFE, .. "\":1}"u8];

        var exception = await Assert.ThrowsAsync<TaskArgumentException>(() => ActorInvoker.InvokeRawAsync("Add", json));

        Assert.Equal("The arguments of actor 'Add' are not valid UTF-8.", exception.Message);
    }

    [Theory]
    [InlineData("""{"left":40,"right":2} trailing""")]
    [InlineData("""{"left":40,"right":2}}""")]
    [InlineData("""{"left":40,"right":2}{}""")]
    [InlineData("""{"left":40,"right":2}]""")]
    [InlineData("""{"left":40,"right":2},""")]
    [InlineData("""{"left":40,"right":2} 1""")]
    public async Task Bytes_after_the_arguments_object_are_an_argument_error(string json)
    {
        var exception = await Assert.ThrowsAsync<TaskArgumentException>(() => ActorInvoker.InvokeRawAsync("Add", json));

        Assert.StartsWith("The arguments of actor 'Add' are not valid JSON:", exception.Message);
    }

    [Fact]
    public async Task Whitespace_around_the_arguments_object_is_accepted()
    {
        var result = await ActorInvoker.InvokeRawAsync("Add", " \t\r\n{\"left\":40,\"right\":2} \t\r\n");

        Assert.Equal("42", System.Text.Encoding.UTF8.GetString(result));
    }

    [Fact]
    public async Task A_lone_surrogate_escape_in_a_string_argument_is_an_argument_error()
    {
        // Valid UTF-8 and valid JSON, yet no string can be made of it: the reader throws InvalidOperationException.
        var exception = await Assert.ThrowsAsync<TaskArgumentException>(() => ActorInvoker.InvokeRawAsync("greet", """{"name":"\uD800"}"""));

        Assert.StartsWith("The argument 'name' of actor 'greet' is not valid:", exception.Message);
        Assert.IsType<System.InvalidOperationException>(exception.InnerException);
    }

    [Fact]
    public void Argument_errors_are_never_retried()
    {
        Assert.IsAssignableFrom<NonRetryableException>(new TaskArgumentException("x"));
    }
}
