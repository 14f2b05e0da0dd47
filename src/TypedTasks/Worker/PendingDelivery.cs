using TypedTasks.Brokers;
using TypedTasks.Generated;

namespace TypedTasks;

/// <summary>A fetched delivery with its actor looked up once on arrival (<see langword="null"/> when unknown).</summary>
internal readonly record struct PendingDelivery(TaskDelivery Delivery, ActorDescriptor? Actor);
