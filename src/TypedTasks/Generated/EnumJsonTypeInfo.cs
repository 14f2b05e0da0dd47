using System.ComponentModel;
using System.Text.Json.Serialization.Metadata;
using System.Text.Json;
using System;

namespace TypedTasks.Generated;

/// <summary>
/// JSON metadata for an enum that no <see cref="System.Text.Json.Serialization.JsonSerializerContext"/> declares, built
/// from System.Text.Json's own enum converter without reflection. Generated code uses it for enum parameters and
/// results; enums are written as numbers.
/// </summary>
/// <remarks>
/// A bare <see cref="JsonMetadataServices.CreateValueInfo{T}"/> is not enough: serializing through it asks the
/// options' resolver for the type, so the options get a resolver that knows exactly this enum.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class EnumJsonTypeInfo
{
    /// <summary>Metadata for <typeparamref name="TEnum"/>.</summary>
    public static JsonTypeInfo<TEnum> Create<TEnum>()
        where TEnum : struct, Enum =>
        (JsonTypeInfo<TEnum>)CreateOptions<TEnum>().GetTypeInfo(typeof(TEnum));

    /// <summary>Metadata for <c>TEnum?</c>.</summary>
    public static JsonTypeInfo<TEnum?> CreateNullable<TEnum>()
        where TEnum : struct, Enum =>
        (JsonTypeInfo<TEnum?>)CreateOptions<TEnum>().GetTypeInfo(typeof(TEnum?));

    private static JsonSerializerOptions CreateOptions<TEnum>()
        where TEnum : struct, Enum =>
        new(JsonSerializerDefaults.Web) { TypeInfoResolver = new EnumResolver<TEnum>() };

    private sealed class EnumResolver<TEnum> : IJsonTypeInfoResolver
        where TEnum : struct, Enum
    {
        public JsonTypeInfo? GetTypeInfo(Type type, JsonSerializerOptions options)
        {
            if (type == typeof(TEnum))
            {
                return JsonMetadataServices.CreateValueInfo<TEnum>(options, JsonMetadataServices.GetEnumConverter<TEnum>(options));
            }

            if (type == typeof(TEnum?))
            {
                var underlying = (JsonTypeInfo<TEnum>)options.GetTypeInfo(typeof(TEnum));
                return JsonMetadataServices.CreateValueInfo<TEnum?>(options, JsonMetadataServices.GetNullableConverter(underlying));
            }

            return null;
        }
    }
}
