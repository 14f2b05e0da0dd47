namespace TypedTasks.Generators;

/// <summary>Names of the pipeline steps, so that caching tests can find each step's outputs.</summary>
internal static class TrackingNames
{
    public const string ParsedActors = nameof(ParsedActors);
    public const string JsonContexts = nameof(JsonContexts);
    public const string ResolvedActors = nameof(ResolvedActors);
    public const string ActorSet = nameof(ActorSet);
    public const string Placement = nameof(Placement);
    public const string ActorsToEmit = nameof(ActorsToEmit);
    public const string Registry = nameof(Registry);
}
