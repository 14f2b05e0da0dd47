using BenchmarkDotNet.Running;
using TypedTasks.Benchmarks;

// dotnet run -c Release --project benchmarks/TypedTasks.Benchmarks -- --filter '*' [--job short]
BenchmarkSwitcher.FromAssembly(typeof(DispatchBenchmarks).Assembly).Run(args);
