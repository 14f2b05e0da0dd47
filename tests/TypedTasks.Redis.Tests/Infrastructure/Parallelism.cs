// Most of these tests wait — on claim thresholds, backoffs, restarts and Cluster formation — rather than compute
// (about a quarter of one core over a run), so four at once fit the 2-core machines we run on. With xUnit's default
// (one per core) the two Redis collections, the restart tests and their own Clusters queued behind each other.
[assembly: CollectionBehavior(MaxParallelThreads = 4)]
