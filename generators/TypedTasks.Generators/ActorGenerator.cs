using Microsoft.CodeAnalysis;

namespace TypedTasks.Generators;

/// <summary>Placeholder until the generator lands.</summary>
[Generator(LanguageNames.CSharp)]
public sealed class ActorGenerator : IIncrementalGenerator
{
    /// <inheritdoc />
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
    }
}
