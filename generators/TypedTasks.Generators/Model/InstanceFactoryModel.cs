using TypedTasks.Generators.Helpers;

namespace TypedTasks.Generators.Model;

/// <summary>How a generated factory builds the instance of an instance actor.</summary>
/// <param name="TypeName">The fully qualified type the method is declared on.</param>
/// <param name="DisplayName">The type for messages.</param>
/// <param name="ConstructorParameters">The parameters of its one accessible constructor.</param>
internal sealed record InstanceFactoryModel(string TypeName, string DisplayName, EquatableArray<ServiceParameterModel> ConstructorParameters);

/// <summary>A constructor parameter resolved from the service provider.</summary>
/// <param name="TypeName">The fully qualified type without reference nullability (for <c>typeof</c>).</param>
/// <param name="DisplayName">The type for messages.</param>
/// <param name="DefaultValue">Used when the provider has no such service; null if the parameter is required.</param>
internal sealed record ServiceParameterModel(string Name, string TypeName, string DisplayName, string? DefaultValue);
