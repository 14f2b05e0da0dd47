// Hosts install TaskClient.Default, a process-wide static, so test classes must not run hosts at the same time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
