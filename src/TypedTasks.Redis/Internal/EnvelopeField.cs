namespace TypedTasks.Redis.Internal;

/// <summary>The envelope fields a stream entry can carry (names in <see cref="Fields"/>).</summary>
internal enum EnvelopeField
{
    /// <summary>A field this version does not know; newer producers may add some, and they are ignored.</summary>
    Unknown,
    Id,
    Actor,
    Args,
    Attempt,
    EnqueuedAt,
    DueAt,
    Headers,
    PriorDeliveries,
    UniqueKey,
}
